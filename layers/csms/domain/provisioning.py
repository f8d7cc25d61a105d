"""Provisioning at first boot: the settings a charger must hold before it is put to work, and how far it got.

A charger's own profile wins over its site's default. While the profile in force is not applied, the charger's
BootNotification is answered Pending (`csms.commands.provisioning` applies it); once every setting is taken it is
Accepted, as a charger without a profile always is. `digest` names the settings the status is about, so a changed
profile (or a charger moved to a site with another default) is applied again at the next boot.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from csms.domain.configuration_settings import Settings, as_entries

# A charger answered Pending boots again after this long (or at once when the CSMS triggers it).
PENDING_BOOT_INTERVAL_SECONDS = 60


class ProvisioningStatus(StrEnum):
    PENDING = "Pending"  # to be applied at the next boot
    APPLYING = "Applying"  # the settings are on their way; the charger is answered Pending
    APPLIED = "Applied"  # every setting taken: its boots are Accepted
    REJECTED = "Rejected"  # the charger refused a setting (`reason`): Pending until the profile changes
    FAILED = "Failed"  # a command failed (offline, no answer, CALLERROR; `reason`): applied again at the next boot


@dataclass(frozen=True)
class ChargerProvisioning:
    """What is kept per charger: its own profile (None: none, its site's default applies) and the state of the
    settings last applied."""

    settings: Settings | None = None
    status: ProvisioningStatus | None = None
    digest: str | None = None
    reason: str | None = None
    outstanding: tuple[str, ...] = ()  # the setting commands not answered yet, by their request (JSON)
    reboot_required: bool = False  # a setting answered RebootRequired: the charger is restarted, not triggered
    updated_at: datetime | None = None


class ProvisioningRepository(Protocol):
    """One `ChargerProvisioning` per charger, kept with it (deleting the charger deletes it)."""

    def get(self, charge_point_id: str) -> ChargerProvisioning:
        """The stored one, read strongly consistent; an empty one when none is stored."""

    def update(self, charge_point_id: str, change: "ProvisioningChange") -> ChargerProvisioning:
        """Store what `change` makes of the current one (written unless unchanged; made again from the newer one when
        another write came first)."""


class ProvisioningChange(Protocol):
    def __call__(self, current: ChargerProvisioning) -> ChargerProvisioning: ...


def digest(settings: Settings) -> str:
    """A short name of the settings, the same for the same settings in the same order."""
    text = json.dumps(as_entries(settings), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
