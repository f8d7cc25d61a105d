"""The pure rules of campaigns: targets, rollouts, batches, the halt rule, status changes (table-driven and
Hypothesis)."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csms.campaigns import rules
from csms.campaigns.models import CampaignStatus, Counts, Rollout, Target
from csms.domain.models import ChargePoint
from csms.domain.sites import ChargerWiring
from csms.domain.violations import InvalidValuesError
from csms.wire.versions import OcppVersion

FLEET = [
    ChargePoint(
        "A", vendor="V", model="M1", firmware_version="1.0", ocpp_version=OcppVersion.V16, wiring=ChargerWiring("S1")
    ),
    ChargePoint(
        "B", vendor="V", model="M2", firmware_version="1.0", ocpp_version=OcppVersion.V201, wiring=ChargerWiring("S1")
    ),
    ChargePoint("C", vendor="W", model="M1", firmware_version="2.0", ocpp_version=OcppVersion.V16),
]


@pytest.mark.parametrize(
    ("target", "chosen"),
    [
        ({"siteId": "S1"}, ["A", "B"]),
        ({"vendor": "V", "model": "M1"}, ["A"]),
        ({"firmwareVersion": "1.0", "ocppVersion": "2.0.1"}, ["B"]),
        ({"chargerIds": ["C", "A"], "ocppVersion": "1.6"}, ["A", "C"]),
        ({"model": "M1"}, ["A", "C"]),
    ],
)
def test_a_target_takes_the_chargers_matching_every_filter(target: dict[str, Any], chosen: list[str]) -> None:
    assert [cp.charge_point_id for cp in rules.resolve(rules.parse_target(target), FLEET)] == chosen


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ({}, "target: at least one filter"),
        ({"vendor": "Z"}, "target: no charger matches every filter given"),
        ({"ocppVersion": "1.5"}, "target.ocppVersion: one of 1.6, 2.0.1"),
        ({"chargerIds": []}, "target.chargerIds: a list of 1 to 10000 charger ids"),
        ({"colour": "red", "vendor": "V"}, "target.colour: not a filter"),
    ],
)
def test_a_bad_or_empty_target_is_refused_with_its_reason(target: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidValuesError) as refused:
        rules.resolve(rules.parse_target(target), FLEET)
    assert refused.value.reasons[0].startswith(reason)


def test_rollout_defaults() -> None:
    assert rules.parse_rollout(None) == Rollout(1, 10, 10, 0.1, 600)
    assert rules.parse_rollout({"batchSize": 4, "maxConcurrency": 9}).max_concurrency == 4


@pytest.mark.parametrize(
    ("rollout", "reason"),
    [
        ({"canary": -1}, "rollout.canary: a whole number from 0 to 100"),
        ({"batchSize": 0}, "rollout.batchSize: a whole number from 1 to 1000"),
        ({"batchSize": 10**9}, "rollout.batchSize: a whole number from 1 to 1000"),
        ({"maxConcurrency": 2.5}, "rollout.maxConcurrency: a whole number from 1 to 1000"),
        ({"failureThreshold": 1.5}, "rollout.failureThreshold: a fraction from 0 to 1"),
        ({"failureThreshold": True}, "rollout.failureThreshold: a fraction from 0 to 1"),
        ({"chargerTimeoutSeconds": 0}, "rollout.chargerTimeoutSeconds: a whole number from 1 to 604800"),
    ],
)
def test_absurd_numbers_are_refused(rollout: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidValuesError) as refused:
        rules.parse_rollout(rollout)
    assert refused.value.reasons == [reason]


@given(count=st.integers(1, 500), canary=st.integers(0, 100), batch_size=st.integers(1, 50))
def test_batches_put_the_canary_alone_first_and_then_at_most_batch_size_each(
    count: int, canary: int, batch_size: int
) -> None:
    rollout = Rollout(canary=canary, batch_size=batch_size, max_concurrency=batch_size)
    numbers = rules.batch_numbers(count, rollout)

    assert numbers == sorted(numbers)
    assert max(numbers) + 1 == rules.batch_count(count, rollout)
    if canary:
        assert numbers.count(0) == min(canary, count)
    sizes = [numbers.count(batch) for batch in set(numbers) if not (canary and batch == 0)]
    assert all(size <= batch_size for size in sizes)


@pytest.mark.parametrize(
    ("counts", "canary_finished", "halts"),
    [
        (Counts(total=12, failed=1, succeeded=0), False, False),  # the canary is still running
        (Counts(total=12, failed=1), True, True),
        (Counts(total=12, failed=1, succeeded=3), True, False),  # exactly the threshold
        (Counts(total=12, failed=2, succeeded=3, skipped=1), True, True),
        (Counts(total=12, running=4), True, False),  # nothing finished
    ],
)
def test_the_halt_rule(counts: Counts, canary_finished: bool, halts: bool) -> None:
    assert rules.halts(counts, Rollout(failure_threshold=0.25), canary_finished) is halts


@given(failed=st.integers(0, 100), succeeded=st.integers(0, 100), threshold=st.floats(0, 1))
def test_halting_is_exactly_the_failed_share_above_the_threshold(failed: int, succeeded: int, threshold: float) -> None:
    counts = Counts(total=failed + succeeded, failed=failed, succeeded=succeeded)
    halted = rules.halts(counts, Rollout(failure_threshold=threshold), canary_finished=True)
    assert halted == (failed + succeeded > 0 and failed / (failed + succeeded) > threshold)


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        (CampaignStatus.RUNNING, "pause", CampaignStatus.PAUSED),
        (CampaignStatus.PAUSED, "resume", CampaignStatus.RUNNING),
        (CampaignStatus.PAUSED, "cancel", CampaignStatus.CANCELLED),
        (CampaignStatus.RUNNING, "cancel", CampaignStatus.CANCELLED),
        (CampaignStatus.RUNNING, "resume", None),
        (CampaignStatus.HALTED, "resume", None),
        (CampaignStatus.COMPLETED, "cancel", None),
        (CampaignStatus.CANCELLED, "pause", None),
    ],
)
def test_operator_status_changes(status: CampaignStatus, action: str, after: CampaignStatus | None) -> None:
    assert rules.operator_change(status, action) is after


def test_target_of_one_version() -> None:
    assert rules.parse_target({"ocppVersion": "2.0.1"}) == Target(ocpp_version=OcppVersion.V201)
