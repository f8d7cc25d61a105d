"""The simulator's counters: figures between checkpoints (what the load benchmark reads) and
connection outcomes (a refused attempt is an error that makes `csms simulate` exit 1)."""

import pytest

from csms.simulator.statistics import ADMITTED, Statistics


def test_figures_since_a_checkpoint_count_only_what_came_after_it() -> None:
    statistics = Statistics()
    for seconds in (5.0, 5.0, 5.0):
        statistics.record_round_trip(seconds)
    checkpoint = statistics.checkpoint()
    for milliseconds in range(1, 101):
        statistics.record_round_trip(milliseconds / 1000)
    statistics.record_command("Reset")

    figures = statistics.since(checkpoint)

    assert figures.messages == 101
    assert figures.round_trip_p50 == 0.051
    assert figures.round_trip_p99 == 0.1
    assert figures.round_trip_max == 0.1


def test_a_connection_attempt_is_counted_by_outcome_a_refused_one_as_an_error_too() -> None:
    statistics = Statistics()
    statistics.record_attempt("SIM-0001")
    statistics.record_connect("SIM-0001", ADMITTED)
    statistics.record_connect("SIM-0002", "reset")
    statistics.record_connect("SIM-0002", "rejected (HTTP 503)")
    statistics.record_boot("SIM-0001")
    statistics.record_boot("SIM-0001")  # a second boot on a reconnect: the first one counts

    assert statistics.connects == {ADMITTED: 1, "reset": 1, "rejected (HTTP 503)": 1}
    assert statistics.errors == {"connect reset": 1, "connect rejected (HTTP 503)": 1}
    assert list(statistics.admitted_at) == ["SIM-0001"]
    report = statistics.final_report()
    assert "connections: admitted 1, reset 1, rejected (HTTP 503) 1" in report
    assert "booted: 1 chargers" in report


def test_an_admission_is_waited_for_from_the_chargers_first_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    now = iter([10.0, 11.0, 12.5, 13.0, 14.0, 20.0])
    monkeypatch.setattr("csms.simulator.statistics.time.monotonic", lambda: next(now))
    statistics = Statistics()
    statistics.record_attempt("SIM-0001")  # 10.0
    statistics.record_attempt("SIM-0002")  # 11.0
    statistics.record_connect("SIM-0002", "reset")  # (no clock read)
    statistics.record_attempt("SIM-0002")  # 12.5: a retry, its first attempt stands
    statistics.record_connect("SIM-0001", ADMITTED)  # 13.0
    statistics.record_connect("SIM-0002", ADMITTED)  # 14.0
    statistics.record_connect("SIM-0002", ADMITTED)  # 20.0: a reconnect, its first admission stands

    assert statistics.admission_waits() == [3.0, 3.0]
