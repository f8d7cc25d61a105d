"""`csms local` as a child process, started the way an operator starts it: its URLs read from the
banner it prints, the CPU time it has used, and how long SIGTERM takes to stop it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

READY_TIMEOUT_SECONDS = 120.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WS_URL = re.compile(r"OCPP WebSocket:\s+(\S+)/\{chargePointId\}")
API_URL = re.compile(r"Operator API:\s+(\S+)")


class RuntimeFailed(Exception):
    pass


@dataclass
class RuntimeProcess:
    process: asyncio.subprocess.Process
    ws_url: str
    api_url: str
    log_path: Path
    _output: asyncio.Task[None]

    @classmethod
    async def start(cls, api_token: str, log_path: Path, data_dir: Path | None = None) -> RuntimeProcess:
        """Starts `csms local` on a free port, with its state in `data_dir` (None: nothing on disk) and
        its log on `log_path`, and waits until it is ready."""
        state = [f"--data-dir={data_dir}"] if data_dir is not None else ["--ephemeral"]
        command = [sys.executable, "-m", "csms.cli", "local", "--port", "0", f"--api-token={api_token}", *state]
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE, stderr=log)
        assert process.stdout is not None
        try:
            async with asyncio.timeout(READY_TIMEOUT_SECONDS):
                ws_url, api_url = await _urls_from_banner(process.stdout, log_path)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise
        # The rest of its output (a line at shutdown) is read so that the pipe never fills.
        output = asyncio.create_task(_drain(process.stdout))
        return cls(process, ws_url, api_url, log_path, output)

    def cpu_seconds(self) -> float:
        """User and system CPU time of the process and of its DynamoDB process, all their threads together
        (/proc/PID/stat)."""
        return _cpu_seconds(self.process.pid) + self.dynamodb_cpu_seconds()

    def dynamodb_cpu_seconds(self) -> float:
        """That of its DynamoDB process alone (the one process it starts)."""
        return sum(_cpu_seconds(pid) for pid in _children(self.process.pid))

    async def terminate(self, timeout: float) -> float | None:
        """Sends SIGTERM; the seconds until the process exited, or None when it had to be killed.

        A thread watches for the exit, so that the figure does not include the time this process's own
        event loop, busy with the chargers the shutdown disconnected, takes to notice it.
        """
        sent = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        exited = asyncio.ensure_future(asyncio.to_thread(_exit_seen, self.process.pid, sent + timeout))
        try:
            async with asyncio.timeout(timeout):
                await self.process.wait()
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            return None
        finally:
            await self._output
        exited_at = await exited
        return (exited_at if exited_at is not None else time.monotonic()) - sent

    def error_lines(self) -> int:
        """Records the runtime logged at ERROR or above (its readable log lines: `time LEVEL name: ...`)."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        return sum(1 for line in lines if " ERROR " in line or " CRITICAL " in line)


def _stat_fields(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after "pid (comm) ": the first is the state, field 3 of proc(5)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2 :].split()


def _exit_seen(pid: int, deadline: float) -> float | None:
    """When the process was first seen exited (a zombie, or reaped), polling until `deadline`."""
    while time.monotonic() < deadline:
        try:
            state = _stat_fields(pid)[0]
        except FileNotFoundError:
            return time.monotonic()
        if state in ("Z", "X"):
            return time.monotonic()
        time.sleep(0.005)
    return None


def _cpu_seconds(pid: int) -> float:
    try:
        fields = _stat_fields(pid)
    except FileNotFoundError:  # ended
        return 0.0
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / CLOCK_TICKS


def _children(pid: int) -> list[int]:
    """The processes `pid` started that still run (/proc/PID/task/TID/children)."""
    children: list[int] = []
    tasks = Path(f"/proc/{pid}/task")
    for task in tasks.iterdir() if tasks.exists() else []:
        with contextlib.suppress(FileNotFoundError):
            children += [int(child) for child in (task / "children").read_text().split()]
    return children


async def _urls_from_banner(stdout: asyncio.StreamReader, log_path: Path) -> tuple[str, str]:
    found: dict[re.Pattern[str], str] = {}
    while len(found) < len((WS_URL, API_URL)):
        line = (await stdout.readline()).decode()
        if not line:
            raise RuntimeFailed(f"csms local exited: {_tail(log_path)}")
        found |= {pattern: match.group(1) for pattern in (WS_URL, API_URL) if (match := pattern.search(line))}
    return found[WS_URL], found[API_URL]


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.readline():
        pass


def _tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
