"""/api/sites: grid connections that chargers share, their limits and a live limit set from outside."""

from datetime import datetime, time
from decimal import Decimal
from http import HTTPStatus
from typing import Annotated, Literal, cast, get_args

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import LocalListSetting, PageView, Phases, Quantity
from csms.api.openapi import Tag, body_examples
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.api.provisioning_models import ProvisioningBody
from csms.composition import get_services
from csms.domain.pagination import Page
from csms.domain.site_administration import SiteInUseError
from csms.domain.site_rules import MAX_LIMIT_PERIODS
from csms.domain.sites import (
    DEFAULT_MIN_CHARGING_CURRENT_AMPS,
    DEFAULT_PHASES,
    DEFAULT_VOLTAGE,
    LimitInForce,
    LimitPeriod,
    LimitSource,
    LiveLimit,
    Site,
    StoredSite,
    Weekday,
)
from csms.rebalancing.allocation_reports import AllocationReport
from csms.rebalancing.models import ProfileStatus, SessionAllocation, SiteAllocation

router = Router()

DayName = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAY_NAMES: tuple[DayName, ...] = get_args(DayName)  # in the order of `Weekday`


class LimitPeriodBody(ApiModel):
    start: time = Field(description="A local time of the site's time zone, e.g. 17:00", examples=["17:00"])
    end: time = Field(
        description="Not after `start`: on the next day (22:00 to 06:00 crosses midnight); equal to `start`: 24 hours",
        examples=["21:00"],
    )
    limit_amps: Quantity = Field(
        description="Amps per phase while it runs, from minChargingCurrentAmps to gridLimitAmps"
    )
    days: list[DayName] = Field(
        default_factory=lambda: list(DAY_NAMES), description="The days it starts on (absent: every day)"
    )

    def period(self) -> LimitPeriod:
        days = frozenset(Weekday(DAY_NAMES.index(day)) for day in self.days)
        return LimitPeriod(self.start, self.end, self.limit_amps, days)

    @classmethod
    def of(cls, period: LimitPeriod) -> "LimitPeriodBody":
        days = [DAY_NAMES[day] for day in sorted(period.days)]
        return cls(start=period.start, end=period.end, limit_amps=period.limit_amps, days=days)


class SiteBody(ApiModel):
    name: str = Field(description="1 to 128 characters")
    grid_limit_amps: Quantity = Field(description="What the grid connection may carry, amps per phase")
    phases: Phases = Field(default=DEFAULT_PHASES, description="1 or 3 (absent: 3)")
    voltage: Quantity = Field(default=DEFAULT_VOLTAGE, description="Volts, phase to neutral (absent: 230)")
    min_charging_current_amps: Quantity = Field(
        default=DEFAULT_MIN_CHARGING_CURRENT_AMPS,
        description="Below it a vehicle is paused at 0 A rather than starved (absent: 6)",
    )
    limit_schedule: list[LimitPeriodBody] = Field(
        default_factory=list,
        max_length=MAX_LIMIT_PERIODS,
        description="Lower limits by time of day, in the site's time zone; periods must not overlap",
    )
    time_zone: str = Field(default="UTC", description="IANA, e.g. Europe/Berlin (absent: UTC)")
    local_list: LocalListSetting = Field(
        default_factory=LocalListSetting,
        description="Keep the local authorization lists of its chargers in sync (a charger's own setting wins)",
    )
    provisioning: ProvisioningBody | None = Field(
        default=None, description="The default provisioning profile of its chargers (a charger's own one wins)"
    )

    def site(self, site_id: str) -> Site:
        return Site(
            site_id=site_id,
            name=self.name,
            grid_limit_amps=self.grid_limit_amps,
            phases=self.phases,
            voltage=self.voltage,
            min_charging_current_amps=self.min_charging_current_amps,
            limit_schedule=tuple(period.period() for period in self.limit_schedule),
            time_zone=self.time_zone,
            local_list_enabled=bool(self.local_list.enabled),
            provisioning=self.provisioning.parsed() if self.provisioning is not None else (),
        )


class LiveLimitBody(ApiModel):
    limit_amps: Quantity = Field(description="Amps per phase, from minChargingCurrentAmps to gridLimitAmps")
    valid_until: datetime = Field(description="When it ends (RFC 3339 with an offset), in the future")


class LimitInForceView(ApiModel):
    amps: Quantity
    source: LimitSource = Field(description="configured (gridLimitAmps), schedule (a period running) or live")
    until: datetime | None = Field(description="When it may change next (null: not until the site is changed)")

    @classmethod
    def of(cls, limit: LimitInForce) -> "LimitInForceView":
        return cls(amps=limit.amps, source=limit.source, until=limit.until)


class SiteView(SiteBody):
    site_id: str
    live_limit: LiveLimitBody | None = Field(description="The last one set; past validUntil it no longer applies")
    limit_in_force: LimitInForceView = Field(description="Now, and why")
    updated_at: datetime = Field(description="When the site or its live limit last changed")

    @classmethod
    def of(cls, stored: StoredSite, limit: LimitInForce) -> "SiteView":
        site, live = stored.site, stored.live_limit
        return cls(
            site_id=site.site_id,
            name=site.name,
            grid_limit_amps=site.grid_limit_amps,
            phases=cast(Phases, site.phases),
            voltage=site.voltage,
            min_charging_current_amps=site.min_charging_current_amps,
            limit_schedule=[LimitPeriodBody.of(period) for period in site.limit_schedule],
            time_zone=site.time_zone,
            local_list=LocalListSetting(enabled=site.local_list_enabled),
            provisioning=ProvisioningBody.of(site.provisioning) if site.provisioning else None,
            live_limit=LiveLimitBody(limit_amps=live.limit_amps, valid_until=live.valid_until) if live else None,
            limit_in_force=LimitInForceView.of(limit),
            updated_at=stored.updated_at,
        )


class SessionAllocationView(ApiModel):
    charger_id: str
    transaction_id: str
    connector_id: int | None = Field(description="The connector (1.6 and 2.0.1 alike, when known)")
    evse_id: int | None = Field(description="The EVSE (2.0.1; null for 1.6)")
    allocated_amps: Quantity = Field(description="Its share of the limit, amps per phase (0: paused)")
    effective_amps: Quantity = Field(
        description="The most its charger may draw now as the CSMS counts it (its accepted TxProfile, else its "
        "TxDefaultProfile, else its maximum; after an unanswered change the higher of the two limits)"
    )
    profile_status: ProfileStatus = Field(
        description="Applied (the charger accepted its allocation), Pending (sent, or waiting for headroom others "
        "give back), Rejected (Rejected or a CALLERROR: it kept its previous limit) or Offline (not connected or no "
        "answer: counted at the higher of its two limits)"
    )
    measured_amps: Quantity | None = Field(
        description="The current it draws, from its latest Current.Import meter value (of a 3-phase reading the "
        "highest phase), in tenths of an amp; null when its charger does not report it. In the allocation in "
        "force: now; in the history: when that rebalance finished"
    )

    @classmethod
    def of(cls, session: SessionAllocation) -> "SessionAllocationView":
        return cls(
            charger_id=session.charger_id,
            transaction_id=session.transaction_id,
            connector_id=session.connector_id,
            evse_id=session.evse_id,
            allocated_amps=session.allocated_amps,
            effective_amps=session.effective_amps,
            profile_status=session.profile_status,
            measured_amps=session.measured_amps,
        )


class AllocationTotalsView(ApiModel):
    allocated_amps: Quantity = Field(description="Sum over the sessions")
    effective_amps: Quantity = Field(description="Sum over the sessions: at most the limit, per phase")
    measured_amps: Quantity | None = Field(
        description="Sum over the sessions whose chargers report a current; null when none does"
    )


class AllocationView(ApiModel):
    site_id: str
    computed_at: datetime | None = Field(description="When the rebalance planned it; null before the first one")
    limit_in_force: LimitInForceView = Field(
        description="In the allocation in force: the site's limit now and why; in the history: the limit it was "
        "planned for (`until` null)"
    )
    sessions: list[SessionAllocationView] = Field(description="The site's active sessions as it allocated them")
    totals: AllocationTotalsView

    @classmethod
    def of(cls, site_id: str, limit: LimitInForceView, allocation: SiteAllocation | None) -> "AllocationView":
        sessions = allocation.sessions if allocation is not None else ()
        return cls(
            site_id=site_id,
            computed_at=allocation.computed_at if allocation is not None else None,
            limit_in_force=limit,
            sessions=[SessionAllocationView.of(session) for session in sessions],
            totals=AllocationTotalsView(
                allocated_amps=allocation.allocated_amps if allocation is not None else Decimal(0),
                effective_amps=allocation.effective_amps if allocation is not None else Decimal(0),
                measured_amps=allocation.measured_amps if allocation is not None else None,
            ),
        )

    @classmethod
    def current(cls, report: AllocationReport) -> "AllocationView":
        return cls.of(report.site_id, LimitInForceView.of(report.limit), report.allocation)

    @classmethod
    def past(cls, allocation: SiteAllocation) -> "AllocationView":
        limit = LimitInForceView(amps=allocation.limit_amps, source=allocation.limit_source, until=None)
        return cls.of(allocation.site_id, limit, allocation)


@router.put(
    "/api/sites/<site_id>",
    operation_id="putSite",
    summary="Create or replace a site",
    description="A grid connection that chargers share: `gridLimitAmps` (amps per phase), `phases` (1 or 3), "
    "`voltage`, `minChargingCurrentAmps` (below it a vehicle is paused, not starved), and a `limitSchedule` of "
    "lower limits by time of day in the site's `timeZone` (a period may cross midnight; periods must not "
    "overlap). Currents and voltages are JSON numbers (or decimal strings), positive, with at most one decimal. "
    "A live limit set on the site stays. A limit below the minimum current or above the grid limit, a negative or "
    "absurd number, an unknown time zone or overlapping periods: 422 with every reason, nothing stored.",
    tags=[Tag.SITES],
    responses=responses(),
)
def put_site(
    site_id: str,
    body: Annotated[
        SiteBody,
        body_examples(
            simple=("A three-phase connection of 63 A", {"name": "Depot", "gridLimitAmps": 63}),
            evening=(
                "Lower in the evening peak and at night on weekdays, in Berlin",
                {
                    "name": "Office car park",
                    "gridLimitAmps": 125,
                    "phases": 3,
                    "voltage": 230,
                    "minChargingCurrentAmps": 6,
                    "timeZone": "Europe/Berlin",
                    "limitSchedule": [
                        {"start": "17:00", "end": "21:00", "limitAmps": 63},
                        {
                            "start": "22:00",
                            "end": "06:00",
                            "limitAmps": 80,
                            "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                        },
                    ],
                },
            ),
        ),
    ],
) -> SiteView:
    return _view(get_services().site_administration.put(body.site(site_id)))


@router.get(
    "/api/sites",
    operation_id="listSites",
    summary="List sites",
    description="Every site, in no particular order, with its limit in force now. Paged.",
    tags=[Tag.SITES],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_sites(limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None) -> PageView[SiteView]:
    page = get_services().site_administration.page(limit, next_token)
    return PageView[SiteView](items=[_view(stored) for stored in page.items], next_token=page.next_token)


@router.get(
    "/api/sites/<site_id>",
    operation_id="getSite",
    summary="Get a site",
    description="The site's configuration, its live limit, and the limit in force now with where it comes from.",
    tags=[Tag.SITES],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_site(site_id: str) -> SiteView:
    return _view(_known_site(site_id))


@router.delete(
    "/api/sites/<site_id>",
    operation_id="deleteSite",
    summary="Delete a site",
    description="Only a site no charger is wired to: 409 names the chargers to move first "
    "(`PUT /api/chargers/{id}` with another `siteId`, or `null`).",
    tags=[Tag.SITES],
    responses=responses(HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, success=HTTPStatus.NO_CONTENT),
)
def delete_site(site_id: str) -> Response[None]:
    try:
        deleted = get_services().site_administration.delete(site_id)
    except SiteInUseError as error:
        raise ServiceError(HTTPStatus.CONFLICT, str(error)) from error
    if not deleted:
        raise NotFoundError(f"No site {site_id}")
    return Response(HTTPStatus.NO_CONTENT)


@router.put(
    "/api/sites/<site_id>/limit",
    operation_id="setSiteLimit",
    summary="Set a site's live limit",
    description="A limit from outside (a building energy manager, a grid operator's signal) that overrides the "
    "configured limit and the schedule until `validUntil`; then they apply again. It replaces a live limit set "
    "before. `limitAmps` from minChargingCurrentAmps to gridLimitAmps, `validUntil` in the future: else 422.",
    tags=[Tag.SITES],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def set_site_limit(
    site_id: str,
    body: Annotated[
        LiveLimitBody,
        body_examples(
            limit=("20 A until 18:00 UTC", {"limitAmps": 20, "validUntil": "2026-11-23T18:00:00Z"}),
            string=("As a decimal string", {"limitAmps": "16.5", "validUntil": "2026-11-23T19:00:00+01:00"}),
        ),
    ],
) -> SiteView:
    stored = get_services().site_administration.set_live_limit(site_id, LiveLimit(body.limit_amps, body.valid_until))
    if stored is None:
        raise NotFoundError(f"No site {site_id}")
    return _view(stored)


@router.delete(
    "/api/sites/<site_id>/limit",
    operation_id="endSiteLimit",
    summary="End a site's live limit",
    description="The configured limit and the schedule apply again at once.",
    tags=[Tag.SITES],
    responses=responses(HTTPStatus.NOT_FOUND, success=HTTPStatus.NO_CONTENT),
)
def end_site_limit(site_id: str) -> Response[None]:
    if get_services().site_administration.end_live_limit(site_id) is None:
        raise NotFoundError(f"No site {site_id}")
    return Response(HTTPStatus.NO_CONTENT)


@router.get(
    "/api/sites/<site_id>/allocation",
    operation_id="getSiteAllocation",
    summary="Get a site's allocation",
    description="How the site's limit is shared now: the limit in force and why, and per active session its share "
    "(`allocatedAmps`), what its charger may draw as counted (`effectiveAmps`), where its TxProfile stands "
    "(`profileStatus`) and the current it draws (`measuredAmps`, from its latest Current.Import meter value), "
    "with the totals. The sessions are those of the last rebalance (a rebalance follows every change of the "
    "site's picture within seconds); before the first one `computedAt` is null and there are none.",
    tags=[Tag.SITES],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_site_allocation(site_id: str) -> AllocationView:
    report = get_services().allocation_reports.current(site_id)
    if report is None:
        raise NotFoundError(f"No site {site_id}")
    return AllocationView.current(report)


@router.get(
    "/api/sites/<site_id>/allocation/history",
    operation_id="listSiteAllocationHistory",
    summary="List a site's past allocations",
    description="Each allocation a rebalance applied, newest first, as it stood when the rebalance finished: the "
    "limit it was planned for, its sessions and the currents they drew then. Kept for 90 days. Paged.",
    tags=[Tag.SITES],
    responses=responses(HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND),
)
def list_site_allocation_history(
    site_id: str, limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None
) -> PageView[AllocationView]:
    page: Page[SiteAllocation] | None = get_services().allocation_reports.history(site_id, limit, next_token)
    if page is None:
        raise NotFoundError(f"No site {site_id}")
    return PageView[AllocationView](
        items=[AllocationView.past(allocation) for allocation in page.items], next_token=page.next_token
    )


def _known_site(site_id: str) -> StoredSite:
    stored = get_services().site_administration.get(site_id)
    if stored is None:
        raise NotFoundError(f"No site {site_id}")
    return stored


def _view(stored: StoredSite) -> SiteView:
    return SiteView.of(stored, get_services().site_administration.limit_in_force(stored))
