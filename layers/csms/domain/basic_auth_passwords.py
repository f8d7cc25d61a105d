"""The Basic-auth passwords a CSMS may set on a charge point, by OCPP version, and generating one.

OCPP 1.6 (security whitepaper): the configuration key AuthorizationKey holds the password as the hexadecimal
form of 16 to 20 bytes, which the charge point then presents as its Basic-auth password. OCPP 2.0.1: the
variable SecurityCtrlr.BasicAuthPassword, a passwordString of 16 to 40 characters.
"""

import secrets
import string

from csms.wire.versions import OcppVersion

MIN_KEY_BYTES, MAX_KEY_BYTES = 16, 20  # 1.6 AuthorizationKey
MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH = 16, 40  # 2.0.1 BasicAuthPassword
# What the CSMS generates for 2.0.1: letters and digits only, so that no charge point's parser can stumble.
_GENERATED_ALPHABET = string.ascii_letters + string.digits
_HEX_DIGITS = frozenset(string.hexdigits)


def generated_password(version: OcppVersion) -> str:
    """The longest password the version allows, from the operating system's random source."""
    if version is OcppVersion.V16:
        return secrets.token_hex(MAX_KEY_BYTES)
    return "".join(secrets.choice(_GENERATED_ALPHABET) for _ in range(MAX_PASSWORD_LENGTH))


def password_violations(version: OcppVersion, password: str) -> list[str]:
    """Why `password` cannot be set on a charge point of `version` (empty: it can)."""
    if version is OcppVersion.V16:
        digits = len(password)
        if set(password) - _HEX_DIGITS or digits % 2 or not 2 * MIN_KEY_BYTES <= digits <= 2 * MAX_KEY_BYTES:
            return [
                f"password: OCPP 1.6 AuthorizationKey is {MIN_KEY_BYTES} to {MAX_KEY_BYTES} bytes in hexadecimal "
                f"({2 * MIN_KEY_BYTES} to {2 * MAX_KEY_BYTES} hexadecimal digits)"
            ]
        return []
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH or not password.isprintable():
        return [
            f"password: OCPP 2.0.1 BasicAuthPassword is {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} printable "
            "characters"
        ]
    return []
