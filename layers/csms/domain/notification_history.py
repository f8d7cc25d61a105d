"""The operator's view of the notifications charge points sent: one charge point's, and the fleet's newest."""

from datetime import datetime

from csms.domain.models import Notification
from csms.domain.notifications import NotificationKind
from csms.domain.pagination import Page
from csms.domain.ports import ChargePointRepository

ALL_KINDS = tuple(NotificationKind)


class NotificationHistory:
    def __init__(self, charge_points: ChargePointRepository) -> None:
        self._charge_points = charge_points

    def page(
        self,
        charge_point_id: str,
        kind: NotificationKind | None,
        since: datetime | None,
        limit: int,
        next_token: str | None = None,
    ) -> Page[Notification]:
        """Newest first, of one kind or all; raises `InvalidPageTokenError`."""
        return self._charge_points.page_notifications(charge_point_id, _kinds(kind), since, limit, next_token)

    def latest(self, kind: NotificationKind | None, limit: int) -> list[Notification]:
        """The newest of every charge point, of one kind or all."""
        return self._charge_points.latest_notifications(_kinds(kind), limit)


def _kinds(kind: NotificationKind | None) -> tuple[NotificationKind, ...]:
    return (kind,) if kind is not None else ALL_KINDS
