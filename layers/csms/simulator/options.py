"""What one simulation run is asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

SUBPROTOCOLS = {"1.6": "ocpp1.6", "2.0.1": "ocpp2.0.1"}
SESSIONS = ("auto", "remote")


@dataclass(frozen=True)
class SimulationOptions:
    url: str
    chargers: int
    ocpp: str = "mixed"  # "1.6", "2.0.1" or "mixed" (alternating)
    connectors: int = 2
    duration_seconds: float = 60.0
    meter_interval_seconds: float = 60.0
    session_minutes: tuple[float, float] = (5.0, 30.0)
    api_url: str | None = None
    api_token: str | None = None
    summary_interval_seconds: float = 5.0
    # The chargers' first connects are spread over this long (at most a quarter of the run); 0: all at once.
    ramp_seconds: float = 2.0
    # "auto": each connector charges sessions one after another; "remote": only the sessions the CSMS starts.
    sessions: str = "auto"

    @staticmethod
    def charger_id(index: int) -> str:
        return f"SIM-{index + 1:04d}"

    def version_of(self, index: int) -> str:
        if self.ocpp == "mixed":
            return "1.6" if index % 2 == 0 else "2.0.1"
        return self.ocpp


def operator_api_beside(ocpp_url: str) -> str:
    """The operator API of the CSMS at `ocpp_url`, where `csms local` and the stack serve it: `/api` on the
    same host (`ws://127.0.0.1:9000/ocpp` → `http://127.0.0.1:9000/api`; wss → https)."""
    parts = urlsplit(ocpp_url)
    return urlunsplit(("https" if parts.scheme == "wss" else "http", parts.netloc, "/api", "", ""))


def parse_minutes_range(text: str) -> tuple[float, float]:
    """`MIN-MAX` (or one number) in minutes, fractions allowed: "0.05-0.1"."""
    low, _, high = text.partition("-")
    minimum, maximum = float(low), float(high or low)
    if not 0 < minimum <= maximum:
        raise ValueError(f"session minutes must be 0 < MIN <= MAX, got {text!r}")
    return minimum, maximum
