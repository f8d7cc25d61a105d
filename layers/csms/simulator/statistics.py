"""Counters of one simulation run: what the live summary line and the final report show, and what a
load benchmark reads while the run goes on (connection outcomes, boots, figures between checkpoints)."""

from __future__ import annotations

import time
from array import array
from collections import Counter
from dataclasses import dataclass, field

ADMITTED = "admitted"


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


@dataclass(frozen=True)
class Checkpoint:
    """Where the counters stood at one moment."""

    at: float  # time.monotonic()
    messages: int
    round_trips: int


@dataclass(frozen=True)
class Figures:
    """Messages and round trips between a checkpoint and a later moment."""

    seconds: float
    messages: int
    round_trip_p50: float
    round_trip_p99: float
    round_trip_max: float

    @property
    def rate(self) -> float:
        return self.messages / max(self.seconds, 1e-9)


@dataclass
class Statistics:
    connected: int = 0
    active_sessions: int = 0
    sessions_started: int = 0
    sessions_completed: int = 0
    messages: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    commands_answered: Counter[str] = field(default_factory=Counter)
    # Each connection attempt's outcome: ADMITTED, or how the CSMS refused it ("rejected (HTTP 503)", "reset").
    connects: Counter[str] = field(default_factory=Counter)
    # When each charger first tried to connect, when its first connection was admitted, and when its first
    # BootNotification was accepted (time.monotonic()).
    attempted_at: dict[str, float] = field(default_factory=dict)
    admitted_at: dict[str, float] = field(default_factory=dict)
    booted_at: dict[str, float] = field(default_factory=dict)
    started_at: float = field(default_factory=time.monotonic)
    _round_trips: array[float] = field(default_factory=lambda: array("d"))
    _window: Checkpoint | None = None

    def record_round_trip(self, seconds: float) -> None:
        self.messages += 1
        self._round_trips.append(seconds)

    def record_command(self, action: str) -> None:
        """A call the CSMS sent and the charger answered."""
        self.messages += 1
        self.commands_answered[action] += 1

    def record_error(self, kind: str) -> None:
        self.errors[kind] += 1

    def record_attempt(self, charger_id: str) -> None:
        self.attempted_at.setdefault(charger_id, time.monotonic())

    def admission_waits(self) -> list[float]:
        """Each admitted charger's wait from its first attempt to its first admission (seconds), sorted."""
        return sorted(
            admitted - self.attempted_at[charger_id]
            for charger_id, admitted in self.admitted_at.items()
            if charger_id in self.attempted_at
        )

    def record_connect(self, charger_id: str, outcome: str) -> None:
        self.connects[outcome] += 1
        if outcome == ADMITTED:
            self.admitted_at.setdefault(charger_id, time.monotonic())
        else:
            self.record_error(f"connect {outcome}")

    def record_boot(self, charger_id: str) -> None:
        self.booted_at.setdefault(charger_id, time.monotonic())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(time.monotonic(), self.messages, len(self._round_trips))

    def since(self, checkpoint: Checkpoint) -> Figures:
        """Messages and round trips from the checkpoint until now."""
        round_trips = sorted(self._round_trips[checkpoint.round_trips :])
        return Figures(
            seconds=time.monotonic() - checkpoint.at,
            messages=self.messages - checkpoint.messages,
            round_trip_p50=percentile(round_trips, 0.5),
            round_trip_p99=percentile(round_trips, 0.99),
            round_trip_max=(round_trips or [0.0])[-1],
        )

    def summary_line(self) -> str:
        """The live line: rates and round trips since the previous line."""
        window = self.since(self._window or Checkpoint(self.started_at, 0, 0))
        self._window = self.checkpoint()
        return (
            f"[{time.monotonic() - self.started_at:6.0f}s] connected {self.connected}, sessions "
            f"{self.active_sessions} active / {self.sessions_completed} done, {window.rate:.1f} msg/s, "
            f"round trip p50 {window.round_trip_p50 * 1000:.0f} ms p99 {window.round_trip_p99 * 1000:.0f} ms, "
            f"errors {self.error_count}"
        )

    def final_report(self) -> str:
        run = self.since(Checkpoint(self.started_at, 0, 0))
        last_boot = max(self.booted_at.values(), default=self.started_at) - self.started_at
        lines = [
            f"Simulated {run.seconds:.0f} s: {run.messages} messages ({run.rate:.1f}/s)",
            "connections: " + ", ".join(f"{outcome} {count}" for outcome, count in self.connects.most_common()),
            f"booted: {len(self.booted_at)} chargers, the last {last_boot:.1f} s after the start",
            f"sessions: {self.sessions_started} started, {self.sessions_completed} completed",
            f"round trip: p50 {run.round_trip_p50 * 1000:.0f} ms, p99 {run.round_trip_p99 * 1000:.0f} ms, "
            f"max {run.round_trip_max * 1000:.0f} ms",
            "commands answered: "
            + (", ".join(f"{action} {count}" for action, count in sorted(self.commands_answered.items())) or "none"),
            "errors: " + (", ".join(f"{kind} {count}" for kind, count in sorted(self.errors.items())) or "none"),
        ]
        return "\n".join(lines)
