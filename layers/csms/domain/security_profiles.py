"""OCPP security profiles of a charger: 1 (Basic auth, no TLS), 2 (Basic auth over TLS), 3 (TLS client certificate).

The CSMS admits profiles 1 and 2 alike (a password, or a valid certificate: the public endpoint is TLS on AWS;
which of the two a charger uses is its own configuration); at 3 only a certificate admits it. A charger whose
profile was never set is at 2 with a password and at 1 without one.
"""

from typing import Final

from csms.domain.ports import ChargePointRepository
from csms.domain.violations import InvalidValuesError

PASSWORD_PROFILES: Final = (1, 2)
CERTIFICATE_PROFILE: Final = 3
SECURITY_PROFILES: Final = (*PASSWORD_PROFILES, CERTIFICATE_PROFILE)


def effective_security_profile(stored: int | None, has_password: bool) -> int:
    """The charger's profile: the one stored, else what its credentials say."""
    if stored is not None:
        return stored
    return 2 if has_password else 1


class SecurityProfiles:
    """The operator setting a charger's profile (`PUT /api/chargers/{id}`): it applies from its next connection."""

    def __init__(self, charge_points: ChargePointRepository) -> None:
        self._charge_points = charge_points

    def set(self, charge_point_id: str, profile: int) -> None:
        if profile not in SECURITY_PROFILES:
            raise InvalidValuesError([f"securityProfile: 1, 2 or 3, not {profile}"])
        self._charge_points.set_security_profile(charge_point_id, profile)
