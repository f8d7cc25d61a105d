"""The series a message's meter readings belong to: its transaction's, or else its EVSE's or connector's.

The domain names a series by what it is; the stores (`MeterValueRepository`) key it as they need.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class TransactionSeries:
    charge_point_id: str
    transaction_id: str


@dataclass(frozen=True)
class ConnectorSeries:
    """Readings sent outside a transaction, of an EVSE (2.0.1) or a connector (1.6)."""

    charge_point_id: str
    evse_or_connector_id: int


MeterSeries = TransactionSeries | ConnectorSeries
