"""The series a message's meter readings belong to: its transaction's, or else its EVSE's or connector's."""


def transaction_series(charge_point_id: str, transaction_id: str) -> str:
    return f"{charge_point_id}#tx#{transaction_id}"


def connector_series(charge_point_id: str, evse_or_connector_id: int) -> str:
    return f"{charge_point_id}#connector#{evse_or_connector_id}"
