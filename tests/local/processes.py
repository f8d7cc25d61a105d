"""Waiting for a process that is not this test's child to end."""

from __future__ import annotations

import os
import time


def ended(pid: int, within_seconds: float = 5.0) -> bool:
    """Whether the process `pid` is gone (reaped) within `within_seconds`."""
    deadline = time.monotonic() + within_seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
