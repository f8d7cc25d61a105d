"""Charge point identity and HTTP Basic credentials (OCPP security profiles 1 and 2)."""

import base64
import hashlib
import hmac
import re
import secrets
from urllib.parse import unquote

MAX_IDENTITY_LENGTH = 48  # OCPP 2.0.1 part 4 / 1.6 security whitepaper: identity string[48]

# scrypt parameters: 4 MiB and about 12 ms of CPU per check (a 2-core x86 VM), once per new connection.
# Charge point passwords are machine credentials (OCPP asks 16 to 40 characters; the CSMS generates 40 when
# it rotates one) checked whenever a charge point connects: a whole fleet reconnecting after a restart pays
# one check each, and an authorizer on AWS has a fraction of a vCPU. N = 2**14 (16 MiB, 50 ms) made 1,000
# reconnecting chargers 50 s of CPU. Online guessing is slowed by `wrong_passwords`; a stored hash names
# its parameters, so hashes made with other ones still verify.
_SCRYPT_N = 2**12
_SCRYPT_R = 8
_SCRYPT_P = 1
_SALT_BYTES = 16
_DIGEST_BYTES = 64  # hashlib.scrypt's default length
_HASH_SCHEME = "scrypt"


# A '%' that does not start an escape of two hex digits.
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class InvalidPercentEncodingError(ValueError):
    """A URL path segment with a '%' that starts no %XX escape, or escapes that are not UTF-8."""


class InvalidIdentityError(ValueError):
    """The charge point id from the URL is not a valid OCPP identity."""


def percent_decoded(segment: str) -> str:
    """One URL path segment, percent-decoded strictly (RFC 3986): the one rule for every path.

    Both OCPP connections and the operator API decode identifiers with it, so an id means the same
    in both, and an id neither can decode is refused by both (lenient decoding would keep "%zz" as
    it is and turn bytes that are not UTF-8 into U+FFFD).
    """
    if _STRAY_PERCENT.search(segment):
        raise InvalidPercentEncodingError(segment)
    try:
        return unquote(segment, errors="strict")
    except UnicodeDecodeError as error:
        raise InvalidPercentEncodingError(segment) from error


def decode_charge_point_id(raw_segment: str) -> str:
    """Percent-decode and validate the last URL path segment a charge point connected to."""
    try:
        charge_point_id = percent_decoded(raw_segment)
    except InvalidPercentEncodingError as error:
        raise InvalidIdentityError("identity is not percent-encoded UTF-8") from error
    if not is_valid_charge_point_id(charge_point_id):
        raise InvalidIdentityError(f"identity must be 1 to {MAX_IDENTITY_LENGTH} printable characters without '/'")
    return charge_point_id


def is_valid_charge_point_id(charge_point_id: str) -> bool:
    """OCPP identity rules for an already decoded id."""
    return (
        0 < len(charge_point_id) <= MAX_IDENTITY_LENGTH and "/" not in charge_point_id and charge_point_id.isprintable()
    )


def parse_basic_authorization(header: str | None) -> tuple[str, str] | None:
    """(username, password) from an `Authorization: Basic ...` header, or None."""
    if not header:
        return None
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except ValueError:  # not base64 (binascii.Error), non-ASCII text, or not UTF-8 once decoded
        return None
    username, separator, password = decoded.partition(":")
    return (username, password) if separator else None


def hash_password(password: str) -> str:
    """A salted scrypt hash, self-describing so the parameters can change later."""
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return _stored_form(salt, digest)


def _stored_form(salt: bytes, digest: bytes) -> str:
    encoded = [base64.b64encode(part).decode() for part in (salt, digest)]
    return f"{_HASH_SCHEME}${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${encoded[0]}${encoded[1]}"


# Checked against when a charge point has no hash, so that timing does not reveal which ids exist.
# Checking costs one scrypt whatever the digest is, so random bytes of a digest's length serve, and
# a cold start computes no hash it would only compare against (`bench.cold_import`).
_DECOY_HASH = _stored_form(secrets.token_bytes(_SALT_BYTES), secrets.token_bytes(_DIGEST_BYTES))


def password_fingerprint(stored_hash: str | None) -> str:
    """Names the password a connection was admitted with ("none" without one), so that `$connect`
    can tell whether it changed since: a digest, as the hash itself must not travel in an event."""
    return hashlib.sha256(stored_hash.encode()).hexdigest()[:32] if stored_hash is not None else "none"


def verify_password(password: str, stored_hash: str | None) -> bool:
    """Constant-time check of `password` against `stored_hash` (None always fails, same cost)."""
    scheme, n, r, p, salt_b64, digest_b64 = (stored_hash or _DECOY_HASH).split("$")
    if scheme != _HASH_SCHEME:
        return False
    salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
    actual = hashlib.scrypt(password.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected))
    return hmac.compare_digest(actual, expected) and stored_hash is not None
