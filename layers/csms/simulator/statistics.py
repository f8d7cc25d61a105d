"""Counters of one simulation run: what the live summary line and the final report show."""

from __future__ import annotations

import time
from array import array
from collections import Counter
from dataclasses import dataclass, field


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


@dataclass
class Statistics:
    connected: int = 0
    active_sessions: int = 0
    sessions_started: int = 0
    sessions_completed: int = 0
    messages: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    commands_answered: Counter[str] = field(default_factory=Counter)
    started_at: float = field(default_factory=time.monotonic)
    _round_trips: array[float] = field(default_factory=lambda: array("d"))
    _window_start: float = field(default_factory=time.monotonic)
    _window_messages: int = 0
    _window_round_trips: list[float] = field(default_factory=list)

    def record_round_trip(self, seconds: float) -> None:
        self.messages += 1
        self._window_messages += 1
        self._round_trips.append(seconds)
        self._window_round_trips.append(seconds)

    def record_command(self, action: str) -> None:
        """A call the CSMS sent and the charger answered."""
        self.messages += 1
        self._window_messages += 1
        self.commands_answered[action] += 1

    def record_error(self, kind: str) -> None:
        self.errors[kind] += 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def summary_line(self) -> str:
        """The live line: rates and round trips since the previous line."""
        now = time.monotonic()
        rate = self._window_messages / max(now - self._window_start, 1e-9)
        window = sorted(self._window_round_trips)
        p50, p99 = _percentile(window, 0.5) * 1000, _percentile(window, 0.99) * 1000
        self._window_start, self._window_messages, self._window_round_trips = now, 0, []
        return (
            f"[{now - self.started_at:6.0f}s] connected {self.connected}, sessions {self.active_sessions} active "
            f"/ {self.sessions_completed} done, {rate:.1f} msg/s, round trip p50 {p50:.0f} ms p99 {p99:.0f} ms, "
            f"errors {self.error_count}"
        )

    def final_report(self) -> str:
        elapsed = time.monotonic() - self.started_at
        round_trips = sorted(self._round_trips)
        lines = [
            f"Simulated {elapsed:.0f} s: {self.messages} messages ({self.messages / max(elapsed, 1e-9):.1f}/s)",
            f"sessions: {self.sessions_started} started, {self.sessions_completed} completed",
            f"round trip: p50 {_percentile(round_trips, 0.5) * 1000:.0f} ms, "
            f"p99 {_percentile(round_trips, 0.99) * 1000:.0f} ms, max {(round_trips or [0.0])[-1] * 1000:.0f} ms",
            "commands answered: "
            + (", ".join(f"{action} {count}" for action, count in sorted(self.commands_answered.items())) or "none"),
            "errors: " + (", ".join(f"{kind} {count}" for kind, count in sorted(self.errors.items())) or "none"),
        ]
        return "\n".join(lines)
