"""`csms local`'s DynamoDB in a process of its own, so that moto's work runs on a second core.

The runtime is one Python process: its threads share one interpreter lock, so it runs on one core
however many the machine has. Under load about half of its CPU went to moto's DynamoDB
(expression validation and execution, serializing answers) and, with the lock held by the rest,
every call waited for its turn. Here a child process runs the `DynamoDbService` (moto's DynamoDB
and DynamoDB Streams, the data directory's journal); `DynamoDbProcess` has the same methods and
sends each call to it over a socket pair: a call is a few hundred bytes each way, pickled, about
0.1 ms of the caller's CPU, while moto's milliseconds run in the child in parallel with the
handlers, the gateway and the operator API in the runtime. Calls are still answered one at a time,
in the order they arrive.

The child belongs to the runtime: it ignores the terminal's Ctrl-C (its own session) and ends
when the runtime closes it (the journal put on disk first) or when the runtime dies (the socket
reaches its end: every answered write is in the journal already).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import selectors
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

import csms
from csms.local import console_logs
from csms.local.data_directory import Restored
from csms.local.dynamodb_service import DynamoDbService, ServiceAnswer

log = logging.getLogger("local-runtime.dynamodb")

_EXIT_TIMEOUT_SECONDS: Final = 10.0


class DynamoDbProcessGone(RuntimeError):
    """The DynamoDB process ended: the runtime cannot go on without its tables."""


class DynamoDbProcess:
    """A `DynamoDbService` in a child process; safe to call from any thread.

    Each thread calls over a connection of its own (its end of a socket pair whose other end is handed to
    the child over the control socket), so that no thread waits for another's answer to come back: a
    thread woken by its answer may wait for the interpreter lock, and one connection for all (or a lock
    around each call) would make every call wait for that too. The child answers in the order calls arrive.
    """

    def __init__(self, region: str) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self._process = subprocess.Popen(  # noqa: S603 - this interpreter, this module
                [sys.executable, "-m", __name__, region, str(theirs.fileno()), *console_logs.settings()],
                pass_fds=(theirs.fileno(),),
                env=_child_environment(),
                start_new_session=True,
                stdin=subprocess.DEVNULL,  # it logs to stderr; holding the runtime's pipes open would outlive it
                stdout=subprocess.DEVNULL,
            )
        self._control = ours
        self._control_lock = threading.Lock()
        self._connections = threading.local()
        self._closing = False
        self._closed = False
        threading.Thread(target=self._watch, name="csms-local-dynamodb-watch", daemon=True).start()

    def answer(self, service: str, operation: str, request: dict[str, Any], region: str) -> ServiceAnswer:
        answered: ServiceAnswer = self._call("answer", service, operation, request, region)
        return answered

    def open_data_directory(self, path: Path, tables: Mapping[str, str]) -> Restored:
        restored: Restored = self._call("open_data_directory", path, dict(tables))
        return restored

    def close(self) -> None:
        """Put the journal on disk and end the process (idempotent)."""
        with self._control_lock:
            if self._closing:
                return
            self._closing = True
        with contextlib.suppress(DynamoDbProcessGone):
            self._call("close")
        with self._control_lock:
            self._closed = True
            self._control.close()
        try:
            self._process.wait(_EXIT_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            log.error("the DynamoDB process did not end in %.0f s: killed", _EXIT_TIMEOUT_SECONDS)
            self._process.kill()
            self._process.wait()

    def _watch(self) -> None:
        """Say so at once when the process ends unasked (killed, out of memory): DynamoDB calls fail from now on."""
        status = self._process.wait()
        if not self._closing:
            log.critical("the DynamoDB process ended (exit status %s): DynamoDB calls fail; restart csms local", status)

    @property
    def pid(self) -> int:
        return self._process.pid

    def _call(self, method: str, *args: Any) -> Any:
        try:
            connection = self._connection()
            connection.send((method, args))
            succeeded, value = connection.recv()
        except (EOFError, OSError) as error:
            raise DynamoDbProcessGone(f"the DynamoDB process ended (exit status {self._process.poll()})") from error
        if not succeeded:
            raise value
        return value

    def _connection(self) -> Connection:
        connection: Connection | None = getattr(self._connections, "connection", None)
        if connection is None:
            ours, theirs = socket.socketpair()
            with theirs, self._control_lock:
                if self._closed:
                    raise DynamoDbProcessGone("the DynamoDB process was closed")
                socket.send_fds(self._control, [b"c"], [theirs.fileno()])
            connection = self._connections.connection = Connection(ours.detach())
        return connection


def _child_environment() -> dict[str, str]:
    """The runtime's environment, with the directory `csms` was imported from first on the module path."""
    package_root = str(Path(csms.__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([package_root, path]) if path else package_root}


def serve(control: socket.socket, service: DynamoDbService) -> None:
    """Answer the runtime's calls, one at a time in the order they arrive, until it closes the service or goes away
    (its end of the control socket closed)."""
    methods: dict[str, Callable[..., Any]] = {
        "answer": service.answer,
        "open_data_directory": service.open_data_directory,
        "close": service.close,
    }
    with selectors.DefaultSelector() as selector:
        selector.register(control, selectors.EVENT_READ)
        while True:
            for key, _ in selector.select():
                if key.fileobj is control:
                    _, descriptors, _, _ = socket.recv_fds(control, 1, 1)
                    if not descriptors:  # the runtime died: what it was answered is journaled; put the journal on disk
                        service.close()
                        return
                    selector.register(Connection(descriptors[0]), selectors.EVENT_READ)
                    continue
                connection: Connection = key.fileobj  # type: ignore[assignment]
                try:
                    method, args = connection.recv()
                except EOFError:  # the thread's connection was closed
                    selector.unregister(connection)
                    connection.close()
                    continue
                try:
                    outcome: tuple[bool, Any] = (True, methods[method](*args))
                except Exception as error:  # the caller's to handle, as if raised in its own process
                    outcome = (False, _transferable(error))
                connection.send(outcome)
                if method == "close":
                    return


def _transferable(error: Exception) -> Exception:
    """`error`, or in its place a `RuntimeError` saying what it was when it cannot be pickled."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - our own pickle, to test it
    except Exception:
        log.exception("the DynamoDB process failed")
        return RuntimeError(f"the DynamoDB process failed: {type(error).__name__}: {error}")
    return error


def main(argv: list[str]) -> None:
    region, descriptor, *log_settings = argv
    if log_settings:
        console_logs.configure(*log_settings)
    serve(socket.socket(fileno=int(descriptor)), DynamoDbService(region))
    logging.shutdown()
    # Nothing is left to write: end without freeing the tables object by object (a second or more when they are large).
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
