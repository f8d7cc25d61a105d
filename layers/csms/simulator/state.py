"""What a simulated charger keeps across reconnections: its connectors, their meters and sessions,
and its configuration."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

VOLTAGE = 230.0
PHASES = 3
MAX_CURRENT_AMPS = 32.0
TX_PROFILE = "TxProfile"
TX_DEFAULT_PROFILE = "TxDefaultProfile"


@dataclass
class Session:
    connector_id: int
    id_token: str
    ends_at: float  # time.monotonic()
    id_token_type: str = "ISO14443"  # noqa: S105 - OCPP 2.0.1 IdTokenEnumType, no secret
    transaction_id: int | str | None = None
    remote_start_id: int | None = None
    seq_no: int = 0

    def next_seq_no(self) -> int:
        self.seq_no += 1
        return self.seq_no - 1


@dataclass
class Connector:
    connector_id: int
    energy_wh: float
    current_limit_amps: float = MAX_CURRENT_AMPS
    # What a session draws before its own TxProfile: the TxDefaultProfile's limit (none: the maximum).
    default_limit_amps: float = MAX_CURRENT_AMPS
    tx_profile: bool = False  # the session's limit is its TxProfile's
    operative: bool = True
    session: Session | None = None
    _metered_at: float = field(default_factory=time.monotonic)

    @property
    def current_amps(self) -> float:
        return max(0.0, min(MAX_CURRENT_AMPS, self.current_limit_amps)) if self.session else 0.0

    @property
    def power_w(self) -> float:
        return self.current_amps * VOLTAGE * PHASES

    def advance_meter(self) -> None:
        """Adds the energy drawn at the present power since the previous reading."""
        now = time.monotonic()
        self.energy_wh += self.power_w * (now - self._metered_at) / 3600
        self._metered_at = now

    def limit_to(self, limit: float | Decimal, unit: str, purpose: str) -> None:
        """A charging profile's limit, in A or W (1.6 limits come as decimals), caps the current from now on: a
        TxProfile the session's, a TxDefaultProfile that of sessions without a TxProfile (and of the next ones)."""
        self.advance_meter()
        value = float(limit)
        amps = value if unit.upper() == "A" else value / (VOLTAGE * PHASES)
        if purpose == TX_DEFAULT_PROFILE:
            self.default_limit_amps = amps
            if self.tx_profile:
                return
        self.current_limit_amps = amps
        self.tx_profile = purpose == TX_PROFILE

    def end_session(self) -> None:
        """The session's TxProfile ends with it: the next one starts at the default."""
        self.advance_meter()
        self.session = None
        self.current_limit_amps, self.tx_profile = self.default_limit_amps, False


@dataclass
class ChargerState:
    charger_id: str
    connectors: dict[int, Connector]
    heartbeat_interval: float = 60.0
    configuration: dict[str, str] = field(default_factory=dict)  # what the CSMS changed
    # 2.0.1 local controller: the MD5 checksums of the firmware images it publishes (PublishFirmware)
    published_firmware: set[str] = field(default_factory=set)
    # The firmware it runs (reported at boot); an installed image's version is in force from the next boot.
    firmware_version: str = "1.0.0"
    # 2.0.1: the requestId of an update that rebooted before reporting Installed (reported after the boot).
    installed_after_boot: int | None = None

    @classmethod
    def new(cls, charger_id: str, connector_count: int, rng: random.Random) -> ChargerState:
        connectors = {n: Connector(n, energy_wh=float(rng.randint(0, 100_000))) for n in range(1, connector_count + 1)}
        return cls(charger_id, connectors)

    def sessions(self) -> list[Session]:
        return [c.session for c in self.connectors.values() if c.session is not None]

    def free_connector(self, connector_id: int | None = None) -> Connector | None:
        candidates = [self.connectors[connector_id]] if connector_id in self.connectors else []
        if connector_id is None:
            candidates = list(self.connectors.values())
        return next((c for c in candidates if c.operative and c.session is None), None)

    def session_with(self, transaction_id: int | str) -> Session | None:
        return next((s for s in self.sessions() if str(s.transaction_id) == str(transaction_id)), None)

    def apply_limit(self, connector_id: int, limit: float | Decimal, unit: str, purpose: str) -> None:
        """Connector (1.6) or EVSE (2.0.1) 0 means the whole charger."""
        for connector in self.connectors.values():
            if connector_id in (0, connector.connector_id):
                connector.limit_to(limit, unit, purpose)
