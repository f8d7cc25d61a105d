"""What the listings of charge points and transactions are filtered by (None: no filter)."""

from dataclasses import dataclass

from csms.domain.models import ChargePoint, Transaction, TransactionStatus


@dataclass(frozen=True)
class ChargePointFilter:
    connected: bool | None = None
    connector_status: str | None = None  # any of its connectors in this status

    def matches(self, charge_point: ChargePoint) -> bool:
        return (self.connected is None or charge_point.connected == self.connected) and (
            self.connector_status is None
            or any(connector.status == self.connector_status for connector in charge_point.connectors)
        )


@dataclass(frozen=True)
class TransactionFilter:
    charge_point_id: str | None = None
    status: TransactionStatus | None = None

    def matches(self, transaction: Transaction) -> bool:
        return self.charge_point_id in (None, transaction.charge_point_id) and self.status in (
            None,
            transaction.status,
        )
