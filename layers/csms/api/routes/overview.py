"""/api/overview: the network at a glance, for the console's first page."""

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import DecimalString, decimal_string, energy_string
from csms.api.openapi import Tag
from csms.api.routes.notifications import NotificationView
from csms.billing.overview import Overview, Revenue
from csms.composition import get_services
from csms.domain.models import FleetCounts

router = Router()

TIME_ZONE = "UTC"


class ChargerCounts(ApiModel):
    total: int = Field(description="Registered or ever connected")
    connected: int
    offline: int = Field(description="total - connected")
    faulted: int = Field(description="With at least one connector Faulted")

    @classmethod
    def of(cls, counts: FleetCounts) -> "ChargerCounts":
        return cls(
            total=counts.total,
            connected=counts.connected,
            offline=counts.total - counts.connected,
            faulted=counts.faulted,
        )


class EnergyView(ApiModel):
    today: DecimalString = Field(description="Wh of the sessions that ended today, once billed")
    month: DecimalString = Field(description="Wh of the sessions that ended this month, once billed")


class RevenueView(ApiModel):
    currency: str
    today: DecimalString = Field(description="Invoice totals of the sessions that ended today")
    month: DecimalString = Field(description="Invoice totals of the sessions that ended this month")

    @classmethod
    def of(cls, revenue: Revenue) -> "RevenueView":
        return cls(currency=revenue.currency, today=decimal_string(revenue.today), month=decimal_string(revenue.month))


class OverviewView(ApiModel):
    chargers: ChargerCounts
    active_sessions: int
    energy_wh: EnergyView
    revenue: list[RevenueView] = Field(description="One entry per currency invoiced this month")
    latest_faults: list[NotificationView] = Field(description="StatusNotifications reporting a fault, newest first")
    latest_security_events: list[NotificationView] = Field(description="SecurityEventNotifications, newest first")
    time_zone: str = Field(description=f"Of today and this month: always {TIME_ZONE}")

    @classmethod
    def of(cls, overview: Overview) -> "OverviewView":
        return cls(
            chargers=ChargerCounts.of(overview.chargers),
            active_sessions=overview.active_sessions,
            energy_wh=EnergyView(
                today=energy_string(overview.energy_wh_today), month=energy_string(overview.energy_wh_month)
            ),
            revenue=[RevenueView.of(revenue) for revenue in overview.revenue],
            latest_faults=[NotificationView.of(n) for n in overview.latest_faults],
            latest_security_events=[NotificationView.of(n) for n in overview.latest_security_events],
            time_zone=TIME_ZONE,
        )


@router.get(
    "/api/overview",
    operation_id="getOverview",
    summary="See the network at a glance",
    description="Charger counts (connected, offline, faulted), active sessions, the energy and revenue of the "
    "sessions that ended today and this month (UTC days and months, counted as billing takes them), and the 5 "
    "latest faults and security events. Its reads do not grow with history.",
    tags=[Tag.OVERVIEW],
    responses=responses(),
)
def get_overview() -> OverviewView:
    return OverviewView.of(get_services().overview.now())
