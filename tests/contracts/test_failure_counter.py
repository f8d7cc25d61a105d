"""The wrong-password `FailureCounter` contract: failures numbered per charge point id within a window."""

from datetime import UTC, datetime, timedelta

from csms.domain.wrong_passwords import FailureCounter

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def test_failures_are_numbered_within_their_window_per_id(wrong_password_counter: FailureCounter) -> None:
    counted = [wrong_password_counter.count("CP-1", T0 + timedelta(minutes=minute), WINDOW) for minute in range(3)]
    other = wrong_password_counter.count("CP-2", T0, WINDOW)
    after_the_window = wrong_password_counter.count("CP-1", T0 + WINDOW + timedelta(seconds=1), WINDOW)
    then = wrong_password_counter.count("CP-1", T0 + WINDOW + timedelta(minutes=1), WINDOW)

    assert (counted, other, after_the_window, then) == ([1, 2, 3], 1, 1, 2)
