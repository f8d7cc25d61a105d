"""Whether an OCPP 1.6 charger has the security extension (the 1.6 security whitepaper's messages and keys).

1.6 has no message that says so. The whitepaper makes the `SecurityProfile` configuration key required of every
charger that has the extension, so the CSMS knows once the charger reported that key: a GetConfiguration answer
(with no keys named, or naming it), or a ChangeConfiguration of it the charger accepted (a security-profile
upgrade).
"""

from collections.abc import Iterable
from typing import Final

from csms.domain.configuration_variables import ConfigurationVariable

SECURITY_PROFILE_KEY: Final = "SecurityProfile"


def has_security_extension(configuration: Iterable[ConfigurationVariable]) -> bool:
    """Whether the 1.6 configuration the charger reported holds the extension's `SecurityProfile` key."""
    return any(variable.component is None and variable.variable == SECURITY_PROFILE_KEY for variable in configuration)
