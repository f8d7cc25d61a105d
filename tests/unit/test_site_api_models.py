"""Hostile input to the site models of the operator API: whatever JSON arrives, it is refused with reasons (the
model's or the domain's) or it makes a site, live limit or wiring that keeps every rule; nothing else escapes.
And currents go out as JSON numbers that read back as the same decimals."""

import json
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from csms.api.models import ChargerRegistration
from csms.api.routes.sites import DAY_NAMES, LimitPeriodBody, LiveLimitBody, SiteBody, SiteView
from csms.domain.site_rules import MAX_AMPS, live_limit_violations, site_violations, wiring_violations
from csms.domain.sites import ChargerWiring, LimitPeriod, LiveLimit, Site, StoredSite, Weekday, limit_in_force
from tests.hostile_json import HOSTILE_NUMBERS

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
# Numbers as JSON text can carry them (Python's json reads NaN, Infinity and 1e400 as floats), and strings.
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([json.loads(text) for text in HOSTILE_NUMBERS]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["16", "16.5", "-0", "0.05", "1e3", "1_000", " 7 ", "0x10", "", "1" * 5000, "١٦"]),
    st.text(max_size=12),
    st.booleans(),
    st.none(),
)
TIMES = st.one_of(
    st.times().map(lambda moment: moment.isoformat()),
    st.sampled_from(["17:00", "24:00", "23:59:60", "7pm", "17:00+01:00", "17:00Z", ""]),
    st.integers(min_value=-10, max_value=100_000),
    st.text(max_size=8),
)
ZONES = st.one_of(
    st.sampled_from(["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Pacific/Chatham"]),
    st.sampled_from(["localtime", "posixrules", "right/UTC", "../etc/passwd", "Europe", "/etc/localtime", "\x00"]),
    st.text(max_size=40),
)
DAYS = st.lists(st.one_of(st.sampled_from(DAY_NAMES), st.text(max_size=10)), max_size=9)
PERIODS = st.fixed_dictionaries(
    {"start": TIMES, "end": TIMES, "limitAmps": NUMBERS}, optional={"days": DAYS, "extra": st.integers()}
)
SITES = st.fixed_dictionaries(
    {"name": st.text(max_size=140), "gridLimitAmps": NUMBERS},
    optional={
        "phases": st.one_of(st.sampled_from([1, 2, 3, "3", 3.0, True]), st.integers()),
        "voltage": NUMBERS,
        "minChargingCurrentAmps": NUMBERS,
        "timeZone": ZONES,
        "limitSchedule": st.lists(PERIODS, max_size=6),
    },
)


def parsed(model: Any, body: object) -> Any:
    """The body as the model reads it, or None when it refuses it with reasons."""
    try:
        return model.model_validate(body)
    except ValidationError:
        return None


@settings(max_examples=300, deadline=None)
@given(SITES)
@example(
    {"name": "Depot", "gridLimitAmps": "63", "limitSchedule": [{"start": "22:00", "end": "06:00", "limitAmps": 7}]}
)
def test_a_site_body_is_refused_with_reasons_or_makes_a_site_that_keeps_every_rule(body: dict[str, Any]) -> None:
    read = parsed(SiteBody, body)
    if read is None:
        return
    site = read.site("depot")
    if site_violations(site):
        return
    assert 0 < site.min_charging_current_amps <= site.grid_limit_amps <= MAX_AMPS
    found = limit_in_force(site, None, NOW)
    assert site.min_charging_current_amps <= found.amps <= site.grid_limit_amps


@settings(max_examples=200, deadline=None)
@example({"limitAmps": 20.5, "validUntil": "2026-11-23T13:00:00Z"})
@given(st.fixed_dictionaries({"limitAmps": NUMBERS, "validUntil": st.one_of(st.datetimes().map(str), st.text())}))
def test_a_live_limit_body_is_refused_or_keeps_every_rule(body: dict[str, Any]) -> None:
    site = Site("depot", "Depot", Decimal(63))
    read = parsed(LiveLimitBody, body)
    if read is None:
        return
    live = LiveLimit(read.limit_amps, read.valid_until)
    if live_limit_violations(site, live, NOW):
        return
    assert site.min_charging_current_amps <= live.limit_amps <= site.grid_limit_amps
    assert live.valid_until > NOW


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "siteId": st.one_of(st.none(), st.text(max_size=70), st.integers()),
            "maxCurrentAmps": NUMBERS,
            "phases": st.one_of(st.none(), st.integers(), st.text(max_size=2)),
        },
    )
)
def test_a_chargers_wiring_is_refused_or_keeps_every_rule(body: dict[str, Any]) -> None:
    read = parsed(ChargerRegistration, body)
    if read is None:
        return
    change = read.wiring_change()
    if change is None:
        assert not {"siteId", "maxCurrentAmps", "phases"} & body.keys()
        return
    wiring = change.applied_to(ChargerWiring())
    if not wiring_violations(wiring):
        assert 0 < wiring.max_current_amps <= MAX_AMPS
        assert wiring.phases in (1, 3)
    assert change.leaves_site == ("siteId" in body and body["siteId"] is None)


@pytest.mark.parametrize("text", ["1e400", "NaN", "Infinity", "-Infinity", "1e-200", "9007199254740993"])
def test_hostile_json_numbers_never_make_a_site(text: str) -> None:
    body = json.loads(f'{{"name": "Depot", "gridLimitAmps": {text}}}')

    read = parsed(SiteBody, body)

    assert read is None or site_violations(read.site("depot"))


def test_a_site_goes_out_in_json_numbers_that_read_back_as_the_same_site() -> None:
    night = LimitPeriod(time(22), time(6, 30), Decimal("20.5"), frozenset({Weekday.FRIDAY, Weekday.MONDAY}))
    site = Site("depot", "Depot", Decimal("63.5"), 1, Decimal("120.5"), Decimal("6.5"), (night,), "Europe/Berlin")
    stored = StoredSite(site, None, NOW)

    written = json.loads(SiteView.of(stored, stored.limit_in_force(NOW)).model_dump_json(by_alias=True))

    assert (written["gridLimitAmps"], written["voltage"], written["limitSchedule"][0]["limitAmps"]) == (
        63.5,
        120.5,
        20.5,
    )
    assert written["limitSchedule"][0]["days"] == ["Monday", "Friday"]
    assert SiteBody.model_validate(written).site("depot") == site


def test_the_api_names_the_days_as_the_store_does() -> None:
    assert tuple(day.day_name for day in Weekday) == DAY_NAMES
    assert LimitPeriodBody.model_validate({"start": "00:00", "end": "00:00", "limitAmps": 6}).days == list(DAY_NAMES)
