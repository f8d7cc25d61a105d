"""Charge point lifecycle: connections, boots, heartbeats and connector statuses."""

from datetime import datetime, timedelta

from csms.domain.models import BootInfo, ChargePoint, Connection, ConnectorStatus, SentNotification
from csms.domain.ports import ChargePointRepository, Clock, ConnectionRepository, ConnectionSender
from csms.domain.session_ends import SessionEnds
from csms.wire.versions import OcppVersion

# Heartbeats refresh `lastSeen` at most this often per charge point (per warm function
# instance), so a Heartbeat every few minutes does not cost a write every time.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)
# Connections a warm function instance remembers as seen current (one strongly consistent read
# each); past this many it forgets them all and reads again.
SEEN_CURRENT_LIMIT = 10_000


class ChargePointService:
    def __init__(
        self,
        charge_points: ChargePointRepository,
        connections: ConnectionRepository,
        sender: ConnectionSender,
        clock: Clock,
        session_ends: SessionEnds,
    ) -> None:
        self._charge_points = charge_points
        self._connections = connections
        self._sender = sender
        self._clock = clock
        self._session_ends = session_ends
        self._last_seen_written: dict[str, datetime] = {}
        self._seen_current: set[str] = set()

    def now(self) -> datetime:
        return self._clock.now()

    def connected(self, charge_point_id: str, connection_id: str, version: OcppVersion) -> None:
        """Make a new connection current and close the earlier one it replaces.

        Raises `SupersededConnectionError` when a connection the charge point opened later is
        already current (simultaneous connects): this one must be refused.
        """
        now = self._clock.now()
        previous = self._charge_points.record_connected(charge_point_id, connection_id, version, now)
        self._connections.put(Connection(connection_id, charge_point_id, version, now))
        self._last_seen_written[charge_point_id] = now
        if previous and previous != connection_id:
            self._sender.close(previous)

    def is_current(self, charge_point_id: str, connection_id: str) -> bool:
        """Whether frames on `connection_id` may be served: it is the charge point's current connection.

        A connection replaced while its own `$connect` was still running could not be closed then
        (API Gateway answers GoneException until `$connect` returns), so it is closed on its first
        frame instead. A connection once seen current needs no second look: whatever replaces it
        later closes it, because by then it exists.
        """
        if connection_id in self._seen_current:
            return True
        if self._charge_points.current_connection_id(charge_point_id) != connection_id:
            return False
        if len(self._seen_current) >= SEEN_CURRENT_LIMIT:
            self._seen_current.clear()
        self._seen_current.add(connection_id)
        return True

    def disconnected(self, connection_id: str, charge_point_id: str | None) -> None:
        """Forget a connection; the charge point stays connected if it already reconnected."""
        if charge_point_id is None:
            connection = self._connections.get(connection_id)
            charge_point_id = connection.charge_point_id if connection else None
        self._connections.delete(connection_id)
        if charge_point_id is not None:
            self._charge_points.record_disconnected(charge_point_id, connection_id, self._clock.now())

    def remove(self, charge_point_id: str) -> bool:
        """Forget a charge point and close its connection; False if it is unknown.

        Its transactions, meter values and reservations stay: they are the operator's records.
        """
        charge_point = self._charge_points.get(charge_point_id)
        if charge_point is None:
            return False
        self._charge_points.delete(charge_point_id)
        self._last_seen_written.pop(charge_point_id, None)
        if charge_point.connection_id is not None:
            self._sender.close(charge_point.connection_id)
        return True

    def connection(self, connection_id: str) -> Connection | None:
        return self._connections.get(connection_id)

    def booted(self, charge_point_id: str, boot: BootInfo) -> tuple[datetime, ChargePoint]:
        """When it booted, and the charge point as its boot left it."""
        now = self._clock.now()
        charge_point = self._charge_points.record_boot(charge_point_id, boot, now)
        self._last_seen_written[charge_point_id] = now
        return now, charge_point

    def heartbeat(self, charge_point_id: str) -> datetime:
        now = self._clock.now()
        last_written = self._last_seen_written.get(charge_point_id)
        if last_written is None or now - last_written >= LAST_SEEN_RESOLUTION:
            self._charge_points.record_seen(charge_point_id, now)
            self._last_seen_written[charge_point_id] = now
        return now

    def status_changed(self, charge_point_id: str, status: ConnectorStatus) -> None:
        """Keep the status; an Available one first ends the sessions it shows are over (`SessionEnds`),
        while the connector's idle tracking still covers them."""
        self._session_ends.status_reported(charge_point_id, status)
        self._charge_points.record_status(charge_point_id, status)

    def notified(self, charge_point_id: str, notification: SentNotification) -> None:
        """Keep a notification as a log entry (a resent one is kept twice, which is harmless)."""
        self._charge_points.record_notification(
            charge_point_id, notification.kind, notification.message_id, self._clock.now(), notification.details
        )
