"""The data directory of `csms local`: its DynamoDB tables, kept on disk across restarts.

Everything the CSMS knows lives in its tables (chargers, id tokens, tariffs, transactions and
meter values, invoices, commands, sites, the transaction id counter), so the tables are what is
kept. The directory holds:

* `snapshot.jsonl`: every item of every table as of generation G (first line `{"generation": G}`,
  then one `{"table": <logical name>, "item": <DynamoDB JSON>}` per item);
* `journal-G.jsonl`: every DynamoDB write that succeeded since, in the order moto applied it
  (`<operation>\\t<request body>` per line), written through to the operating system at once;
* `lock`: held while a runtime uses the directory (a second one refuses to start, after waiting
  3 s for one that was just killed).
* `ca-key.pem`: the CA's signing key, which moto's KMS keeps only in memory (`csms.local.ca_key`).

Start: load the snapshot, replay its generation's journal (a last line cut short by a kill is
dropped), then write the result as the next generation's snapshot and start its journal.
Checkpoint (the same, while running, once the journal outgrows the snapshot): the new snapshot
is complete on disk before it replaces the old one, and a journal only counts for the
generation its snapshot names, so a crash at any moment leaves one consistent state. A stop
only closes the journal (written to disk), so that it stays quick however large the tables.
A kill (SIGKILL) loses no write that was answered; a machine that loses power can lose what
the operating system had not yet written to disk.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from moto.dynamodb.responses import DynamoHandler

from csms.local import moto_calls, moto_dynamodb

log = logging.getLogger("local-runtime.data")

_SNAPSHOT = "snapshot.jsonl"
# A checkpoint is due once the journal holds this many writes and more than the snapshot's items:
# replaying at start then costs at most about twice loading the snapshot.
_MIN_WRITES_BEFORE_CHECKPOINT = 50_000
_LOCK_WAIT_SECONDS = 3.0
_LOCK_RETRY_SECONDS = 0.05


def default_path() -> Path:
    """`$XDG_DATA_HOME/csms/local`, that is `~/.local/share/csms/local` by default."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "csms" / "local"


class DataDirectoryError(RuntimeError):
    """The data directory cannot be used: say so, rather than start on half a state."""


class DataDirectoryInUse(DataDirectoryError):
    pass


@dataclass(frozen=True)
class Restored:
    items: int  # loaded from the snapshot
    writes: int  # replayed from the journal
    seconds: float


class DataDirectory:
    """Open with `open(tables)`, where `tables` maps each logical table name to its physical one."""

    def __init__(self, path: Path, region: str) -> None:
        self.path = path
        self._region = region
        self._tables: dict[str, str] = {}
        self._lock_file: IO[str] | None = None
        self._journal: IO[bytes] | None = None
        self._generation = 0
        self._snapshot_items = 0
        self._journal_writes = 0

    def open(self, tables: Mapping[str, str]) -> Restored:
        """Lock the directory and load its state into the (empty, just created) tables."""
        self.path.mkdir(parents=True, exist_ok=True)
        self._tables = dict(tables)
        self._lock_file = _locked(self.path / "lock")
        started = time.monotonic()
        try:
            items = self._load_snapshot()
            writes = self._replay_journal()
        except BaseException:
            self.close()
            raise
        restored = Restored(items, writes, time.monotonic() - started)
        self.checkpoint()
        return restored

    def record(self, operation: str, body: bytes) -> None:
        """A DynamoDB write that succeeded (called in the order writes are applied)."""
        if self._journal is None:
            return
        self._journal.write(operation.encode() + b"\t" + body.replace(b"\n", b" ") + b"\n")
        self._journal.flush()
        self._journal_writes += 1

    @property
    def checkpoint_due(self) -> bool:
        return self._journal_writes >= max(_MIN_WRITES_BEFORE_CHECKPOINT, self._snapshot_items)

    def checkpoint(self) -> None:
        """Write every table as the next generation's snapshot and start its journal.

        Run with no DynamoDB write in progress (`DynamoDbService` runs it between two calls).
        """
        generation = self._generation + 1
        temporary = self.path / f"{_SNAPSHOT}.tmp"
        count = 0
        with temporary.open("wb") as out:
            out.write(json.dumps({"generation": generation}).encode() + b"\n")
            for logical, physical in self._tables.items():
                for item in moto_dynamodb.table_items(self._region, physical):
                    out.write(json.dumps({"table": logical, "item": item}, separators=(",", ":")).encode() + b"\n")
                    count += 1
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path / _SNAPSHOT)
        _fsync_directory(self.path)
        previous = self._journal
        self._journal = self._journal_path(generation).open("ab")
        if previous is not None:
            previous.close()
        self._journal_path(self._generation).unlink(missing_ok=True)
        self._generation, self._snapshot_items, self._journal_writes = generation, count, 0
        log.debug("checkpoint: generation %d, %d items", generation, count)

    def close(self) -> None:
        """Put the journal on disk and release the directory (with no DynamoDB write in progress)."""
        if self._journal is not None:
            self._journal.flush()
            os.fsync(self._journal.fileno())
            self._journal.close()
            self._journal = None
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def _journal_path(self, generation: int) -> Path:
        return self.path / f"journal-{generation}.jsonl"

    def _load_snapshot(self) -> int:
        snapshot = self.path / _SNAPSHOT
        if not snapshot.exists():
            return 0
        by_table: dict[str, list[dict[str, Any]]] = {}
        with snapshot.open("rb") as lines:
            for number, line in enumerate(lines, start=1):
                try:
                    if number == 1:
                        self._generation = int(json.loads(line)["generation"])
                        continue
                    entry = json.loads(line)
                    by_table.setdefault(entry["table"], []).append(entry["item"])
                except (ValueError, KeyError, TypeError) as error:
                    raise DataDirectoryError(f"{snapshot}: line {number} is not a snapshot entry ({error})") from None
        count = 0
        for logical, items in by_table.items():
            physical = self._tables.get(logical)
            if physical is None:
                log.warning("the data directory has %d items of table %s, which no longer exists", len(items), logical)
                continue
            count += moto_dynamodb.load_items(self._region, physical, items)
        return count

    def _replay_journal(self) -> int:
        journal = self._journal_path(self._generation)
        if not journal.exists():
            return 0
        replayed = 0
        with moto_dynamodb.stream_detached(self._region, self._tables.values()):
            for operation, body in _journal_entries(journal):
                self._replay(operation, body)
                replayed += 1
        return replayed

    def _replay(self, operation: str, body: bytes) -> None:
        request = {
            "method": "POST",
            "url": f"https://dynamodb.{self._region}.amazonaws.com/",
            "url_path": "/",
            "headers": {"X-Amz-Target": f"DynamoDB_20120810.{operation}", "Content-Type": "application/x-amz-json-1.0"},
            "body": body,
        }
        status, _, content = moto_calls.answer(DynamoHandler, operation, request, self._region)
        if status != 200:
            log.warning("replaying %s gave %s: %s", operation, status, content[:300])


def _locked(path: Path) -> IO[str]:
    """The lock file, locked. A runtime that was killed a moment ago may still hold it for as long as its DynamoDB
    process takes to put the journal on disk (`dynamodb_process`): it is waited for, briefly."""
    lock_file = path.open("w")
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return lock_file
        except BlockingIOError:
            if time.monotonic() >= deadline:
                lock_file.close()
                raise DataDirectoryInUse(f"{path.parent} is in use by another csms local") from None
            time.sleep(_LOCK_RETRY_SECONDS)


def _journal_entries(journal: Path) -> Iterator[tuple[str, bytes]]:
    with journal.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            operation, tab, body = line.rstrip(b"\n").partition(b"\t")
            if not line.endswith(b"\n") or not tab:
                log.warning("%s: line %d was cut short (killed while writing it); dropped", journal, number)
                return
            yield operation.decode(), body


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
