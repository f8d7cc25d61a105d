"""A charge point's next Basic-auth password while it is rotated in (`csms.commands.password_rotation`).

From the moment it is stored until the charge point connects with it, both the current password and this
one admit the charge point; the first connection made with it makes it the only one.
"""

from datetime import datetime
from typing import Protocol


class PendingPasswordRepository(Protocol):
    """One pending password hash per charge point, kept with it (deleting the charge point deletes it)."""

    def get(self, charge_point_id: str) -> str | None:
        """The pending password's hash, read strongly consistent (None: no rotation under way)."""

    def put(self, charge_point_id: str, password_hash: str, at: datetime) -> None:
        """Store it, replacing the one pending before."""

    def clear(self, charge_point_id: str, password_hash: str | None = None) -> None:
        """Remove it (given a hash: only while that one is pending)."""

    def promote(self, charge_point_id: str, password_hash: str) -> bool:
        """Make `password_hash` the charge point's password and remove it from pending, in one atomic write, if it
        is still the pending one (False: it is not, nothing changed)."""
