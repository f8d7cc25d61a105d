"""`--wait`: follows a command until it is finished (README, "Remote commands"), showing where it stands.

A command is finished once it has `finishedAt`: answered (Accepted or Rejected) with no follow-up,
its follow-up over (`result`), or failed (Failed, TimedOut, Offline).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, TextIO

from csms.operator_cli.client import OperatorApi, segment

POLL_INTERVAL_SECONDS = 1.0
SPINNER = "|/-\\"


@dataclass(frozen=True)
class Followed:
    command: dict[str, Any]  # as `GET /api/commands/{commandId}` last answered
    finished: bool


def stage(command: dict[str, Any]) -> str:
    """Where a command stands, in words: `Sent`, `Accepted, waiting for BackOnline (up to 300 s)`, ..."""
    follow_up = command.get("followUp")
    if command["status"] == "Accepted" and follow_up and not command.get("finishedAt"):
        return f"Accepted, waiting for {follow_up['kind']} (up to {follow_up['timeoutSeconds']} s)"
    return str(command["status"])


class Progress:
    """On a terminal one line, rewritten at each poll; elsewhere (a log, a pipe) a line per change."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._terminal = stream.isatty()
        self._shown: str | None = None
        self._polls = 0

    def show(self, command: dict[str, Any], elapsed_seconds: float) -> None:
        line = f"{command['action']} on {command['chargerId']} (command {command['commandId']}): {stage(command)}"
        if self._terminal:
            spinner = SPINNER[self._polls % len(SPINNER)]
            self._stream.write(f"\r\x1b[K{spinner} {line}  {elapsed_seconds:.0f} s")
        elif line != self._shown:
            self._stream.write(f"{line}\n")
        self._stream.flush()
        self._shown = line
        self._polls += 1

    def close(self) -> None:
        if self._terminal and self._shown is not None:
            self._stream.write("\r\x1b[K")
            self._stream.flush()


def follow(api: OperatorApi, command_id: str, progress: Progress, timeout_seconds: float | None) -> Followed:
    """Polls the command until it is finished or `timeout_seconds` (None: no limit) have passed."""
    started = time.monotonic()
    try:
        while True:
            command = api.get(f"/commands/{segment(command_id)}")
            elapsed = time.monotonic() - started
            progress.show(command, elapsed)
            if command.get("finishedAt"):
                return Followed(command, finished=True)
            if timeout_seconds is not None and elapsed >= timeout_seconds:
                return Followed(command, finished=False)
            time.sleep(POLL_INTERVAL_SECONDS)
    finally:
        progress.close()
