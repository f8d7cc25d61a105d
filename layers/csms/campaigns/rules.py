"""The pure rules of campaigns: reading a target and a rollout, which chargers a target takes, the batches, the
halt rule, and which status changes are allowed.

Every reading function collects every fault as a reason (`InvalidValuesError`), so an operator sees them all.
"""

import math
from collections.abc import Iterable
from typing import Any

from csms.campaigns.models import CampaignStatus, Counts, Rollout, Target
from csms.domain.models import ChargePoint
from csms.domain.violations import InvalidValuesError
from csms.wire.versions import OcppVersion

MAX_CHARGER_IDS = 10_000
MAX_CANARY = 100
MAX_BATCH_SIZE = 1000
MAX_CHARGER_TIMEOUT_SECONDS = 7 * 24 * 3600
MAX_NAME_LENGTH = 100
_TARGET_FIELDS = ("chargerIds", "siteId", "vendor", "model", "firmwareVersion", "ocppVersion")
_ROLLOUT_FIELDS = ("canary", "batchSize", "maxConcurrency", "failureThreshold", "chargerTimeoutSeconds")
_VERSIONS = {version.value: version for version in OcppVersion}

# What an operator may do in each status (pause, resume, cancel), and what the status then is.
OPERATOR_ACTIONS: dict[str, dict[CampaignStatus, CampaignStatus]] = {
    "pause": {CampaignStatus.RUNNING: CampaignStatus.PAUSED},
    "resume": {CampaignStatus.PAUSED: CampaignStatus.RUNNING},
    "cancel": {CampaignStatus.RUNNING: CampaignStatus.CANCELLED, CampaignStatus.PAUSED: CampaignStatus.CANCELLED},
}


def parse_name(name: Any) -> str:
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= MAX_NAME_LENGTH:
        raise InvalidValuesError([f"name: a text of 1 to {MAX_NAME_LENGTH} characters"])
    return name.strip()


def parse_target(raw: Any) -> Target:
    """The target `raw` describes; at least one filter, each a non-empty text (`chargerIds` a list of them)."""
    if not isinstance(raw, dict):
        raise InvalidValuesError(["target: an object with any of " + ", ".join(_TARGET_FIELDS)])
    reasons = [
        f"target.{name}: not a filter (any of {', '.join(_TARGET_FIELDS)})"
        for name in raw
        if name not in _TARGET_FIELDS
    ]
    given = {name: value for name, value in raw.items() if name in _TARGET_FIELDS and value is not None}
    if not given:
        reasons.append("target: at least one filter")
    charger_ids = given.get("chargerIds")
    if charger_ids is not None and not (
        isinstance(charger_ids, list)
        and 1 <= len(charger_ids) <= MAX_CHARGER_IDS
        and all(isinstance(charger_id, str) and charger_id for charger_id in charger_ids)
    ):
        reasons.append(f"target.chargerIds: a list of 1 to {MAX_CHARGER_IDS} charger ids")
    for name in ("siteId", "vendor", "model", "firmwareVersion"):
        if name in given and not (isinstance(given[name], str) and given[name]):
            reasons.append(f"target.{name}: a non-empty text")
    version = given.get("ocppVersion")
    if version is not None and version not in _VERSIONS:
        reasons.append(f"target.ocppVersion: one of {', '.join(_VERSIONS)}")
    if reasons:
        raise InvalidValuesError(reasons)
    return Target(
        charger_ids=tuple(dict.fromkeys(charger_ids)) if charger_ids is not None else None,
        site_id=given.get("siteId"),
        vendor=given.get("vendor"),
        model=given.get("model"),
        firmware_version=given.get("firmwareVersion"),
        ocpp_version=_VERSIONS[version] if version is not None else None,
    )


def matches(target: Target, charge_point: ChargePoint) -> bool:
    """Whether the charger matches every filter of `target`."""
    return (
        (target.charger_ids is None or charge_point.charge_point_id in target.charger_ids)
        and (target.site_id is None or charge_point.wiring.site_id == target.site_id)
        and (target.vendor is None or charge_point.vendor == target.vendor)
        and (target.model is None or charge_point.model == target.model)
        and (target.firmware_version is None or charge_point.firmware_version == target.firmware_version)
        and (target.ocpp_version is None or charge_point.ocpp_version is target.ocpp_version)
    )


def resolve(target: Target, charge_points: Iterable[ChargePoint]) -> list[ChargePoint]:
    """The chargers of `charge_points` the target takes, by id; raises `InvalidValuesError` when none."""
    chosen = sorted(
        (charge_point for charge_point in charge_points if matches(target, charge_point)),
        key=lambda charge_point: charge_point.charge_point_id,
    )
    if not chosen:
        raise InvalidValuesError(["target: no charger matches every filter given"])
    return chosen


def parse_rollout(raw: Any) -> Rollout:
    """The rollout `raw` describes (every field optional); numbers within bounds an operator could mean."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InvalidValuesError(["rollout: an object with any of " + ", ".join(_ROLLOUT_FIELDS)])
    reasons = [f"rollout.{name}: not a rollout setting" for name in raw if name not in _ROLLOUT_FIELDS]
    defaults = Rollout()
    canary = _integer(raw, "canary", defaults.canary, 0, MAX_CANARY, reasons)
    batch_size = _integer(raw, "batchSize", defaults.batch_size, 1, MAX_BATCH_SIZE, reasons)
    max_concurrency = _integer(raw, "maxConcurrency", batch_size, 1, MAX_BATCH_SIZE, reasons)
    timeout = _integer(
        raw, "chargerTimeoutSeconds", defaults.charger_timeout_seconds, 1, MAX_CHARGER_TIMEOUT_SECONDS, reasons
    )
    threshold = raw.get("failureThreshold", defaults.failure_threshold)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
        reasons.append("rollout.failureThreshold: a fraction from 0 to 1")
        threshold = defaults.failure_threshold
    if reasons:
        raise InvalidValuesError(reasons)
    return Rollout(canary, batch_size, min(max_concurrency, batch_size), float(threshold), timeout)


def _integer(raw: dict[str, Any], name: str, default: int, low: int, high: int, reasons: list[str]) -> int:
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        reasons.append(f"rollout.{name}: a whole number from {low} to {high}")
        return default
    return value


def batch_numbers(count: int, rollout: Rollout) -> list[int]:
    """The batch of each of `count` chargers in order: the canary's first (batch 0), then `batch_size` at a time."""
    canary = min(rollout.canary, count)
    canary_batches = 1 if canary else 0
    return [0] * canary + [canary_batches + index // rollout.batch_size for index in range(count - canary)]


def batch_count(count: int, rollout: Rollout) -> int:
    canary = min(rollout.canary, count)
    return (1 if canary else 0) + math.ceil((count - canary) / rollout.batch_size)


def canary_finished(rollout: Rollout, batch: int, batch_finished: bool) -> bool:
    """Whether the canary is behind a campaign at `batch` (no canary: from the start); `batch_finished`: every
    charger of `batch` finished."""
    return rollout.canary == 0 or batch >= 1 or batch_finished


def halts(counts: Counts, rollout: Rollout, canary_finished: bool) -> bool:
    """The halt rule: once the canary finished, the failed share of finished chargers exceeds the threshold."""
    return canary_finished and counts.finished > 0 and counts.failed / counts.finished > rollout.failure_threshold


def operator_change(status: CampaignStatus, action: str) -> CampaignStatus | None:
    """The status `action` (pause, resume, cancel) leads to from `status`; None: not allowed now."""
    return OPERATOR_ACTIONS[action].get(status)
