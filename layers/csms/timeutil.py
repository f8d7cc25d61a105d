"""UTC timestamps as OCPP writes them (RFC 3339, `Z` suffix) and a real clock."""

from datetime import UTC, datetime


def parse_timestamp(value: str) -> datetime:
    """An OCPP dateTime; one without an offset is taken as UTC."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
