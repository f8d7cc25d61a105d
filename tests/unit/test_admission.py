"""Who may open an OCPP connection: `AdmissionService` and `csms.domain.identity`."""

import base64
import hashlib
from datetime import UTC, datetime

import pytest

from csms.domain.admission import Admission, AdmissionService, ConnectionRefusedError, RefusalReason
from csms.domain.identity import (
    MAX_IDENTITY_LENGTH,
    InvalidIdentityError,
    decode_charge_point_id,
    hash_password,
    parse_basic_authorization,
    password_fingerprint,
    verify_password,
)
from csms.domain.security_event_log import SecurityEventLog
from csms.domain.wrong_passwords import WrongPasswords
from csms.pki.client_certificates import ClientCertificates
from csms.wire.versions import OcppVersion
from tests.fakes import (
    FixedClock,
    InMemoryChargePoints,
    InMemoryFailureCounter,
    InMemoryPendingPasswords,
    InMemorySecurityEvents,
)

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
PASSWORD = "correct-horse-battery"
PASSWORD_HASH = hash_password(PASSWORD)  # scrypt is slow on purpose: hash once for the module


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def wrong_passwords() -> WrongPasswords:
    clock = FixedClock(AT)
    return WrongPasswords(InMemoryFailureCounter(), SecurityEventLog(InMemorySecurityEvents(), clock), clock)


def without_certificates() -> ClientCertificates:
    raise AssertionError("no certificate is presented in these tests (test_certificate_admission)")


def service_over(charge_points: InMemoryChargePoints, accept_unknown: bool) -> AdmissionService:
    events = SecurityEventLog(InMemorySecurityEvents(), FixedClock(AT))
    return AdmissionService(
        charge_points,
        accept_unknown,
        wrong_passwords(),
        events,
        without_certificates,
        InMemoryPendingPasswords(charge_points),
    )


def admission_service(accept_unknown: bool = False) -> AdmissionService:
    """CP-1 registered with PASSWORD; CP-OPEN registered without a password."""
    charge_points = InMemoryChargePoints()
    charge_points.register("CP-1", PASSWORD_HASH, AT)
    charge_points.register("CP 01", PASSWORD_HASH, AT)
    charge_points.register("CP-OPEN", None, AT)
    return service_over(charge_points, accept_unknown)


def refusal(
    service: AdmissionService, raw_id: str | None, subprotocols: str | None, authorization: str | None
) -> RefusalReason:
    with pytest.raises(ConnectionRefusedError) as refused:
        service.admit(raw_id, subprotocols, authorization)
    return refused.value.reason


# Identity -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CP-1", "CP-1"),
        ("CP%2001", "CP 01"),
        ("%C3%A9vse", "\u00e9vse"),
        ("A" * MAX_IDENTITY_LENGTH, "A" * MAX_IDENTITY_LENGTH),
    ],
)
def test_a_valid_identity_is_percent_decoded(raw: str, expected: str) -> None:
    assert decode_charge_point_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("", id="empty"),
        pytest.param("A" * (MAX_IDENTITY_LENGTH + 1), id="49-chars"),
        pytest.param("%41" * (MAX_IDENTITY_LENGTH + 1), id="49-chars-after-decoding"),
        pytest.param("CP%2F1", id="slash-after-decoding"),
        pytest.param("CP/1", id="slash"),
        pytest.param("CP%0A1", id="control-character"),
        pytest.param("CP%FF", id="not-utf8"),
        pytest.param("CP%C3", id="utf8-cut-short"),
        pytest.param("CP%zz1", id="percent-without-hex-digits"),
        pytest.param("CP%2", id="percent-with-one-hex-digit"),
        pytest.param("CP%", id="percent-at-the-end"),
        pytest.param("100%", id="a-percent-sign-not-encoded"),
    ],
)
def test_an_invalid_identity_is_refused(raw: str) -> None:
    with pytest.raises(InvalidIdentityError):
        decode_charge_point_id(raw)


@pytest.mark.parametrize(
    "raw_id",
    [
        pytest.param("A" * 49, id="too-long"),
        pytest.param("CP%2F1", id="slash-after-decoding"),
        pytest.param("CP%FF", id="not-utf8"),
        pytest.param("CP%zz", id="percent-without-hex-digits"),
        pytest.param(None, id="missing"),
    ],
)
def test_admission_refuses_an_invalid_identity(raw_id: str | None) -> None:
    # Given any deployment, even an open one
    service = admission_service(accept_unknown=True)

    # When a charge point connects with an invalid identity
    reason = refusal(service, raw_id, "ocpp1.6", None)

    # Then it is refused for its identity
    assert reason is RefusalReason.INVALID_IDENTITY


def test_admission_admits_the_percent_decoded_identity() -> None:
    # Given "CP 01" registered with a password
    service = admission_service()

    # When it connects as CP%2001 with its credentials
    admission = service.admit("CP%2001", "ocpp1.6", basic("CP 01", PASSWORD))

    # Then it is admitted under its decoded id
    assert admission == Admission("CP 01", OcppVersion.V16, password_fingerprint(PASSWORD_HASH))


# Subprotocol ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        ("ocpp1.6, ocpp2.0.1", OcppVersion.V201),
        ("ocpp2.0.1,ocpp1.6", OcppVersion.V201),
        ("ocpp1.6", OcppVersion.V16),
        ("ocpp2.0.1", OcppVersion.V201),
        ("ocpp1.5, ocpp1.6", OcppVersion.V16),
    ],
)
def test_the_preferred_common_subprotocol_is_chosen(offered: str, expected: OcppVersion) -> None:
    admission = admission_service().admit("CP-1", offered, basic("CP-1", PASSWORD))

    assert admission.ocpp_version is expected


@pytest.mark.parametrize("offered", ["ocpp1.5", "", None, "ocpp2.1", "OCPP1.6"])
def test_no_common_subprotocol_is_refused(offered: str | None) -> None:
    reason = refusal(admission_service(), "CP-1", offered, basic("CP-1", PASSWORD))

    assert reason is RefusalReason.NO_COMMON_SUBPROTOCOL


# Basic authentication -------------------------------------------------------------------------


def test_the_right_password_is_admitted() -> None:
    admission = admission_service().admit("CP-1", "ocpp2.0.1", basic("CP-1", PASSWORD))

    assert admission == Admission("CP-1", OcppVersion.V201, password_fingerprint(PASSWORD_HASH))


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(basic("CP-1", "wrong"), id="wrong-password"),
        pytest.param(basic("CP-2", PASSWORD), id="username-is-another-id"),
        pytest.param(None, id="missing-header"),
        pytest.param("", id="empty-header"),
        pytest.param("Bearer abc", id="not-basic"),
        pytest.param("Basic !!!", id="not-base64"),
        pytest.param("Basic " + base64.b64encode(b"CP-1").decode(), id="no-colon"),
    ],
)
@pytest.mark.parametrize("accept_unknown", [False, True])
def test_bad_credentials_are_refused_even_in_an_open_deployment(
    authorization: str | None, accept_unknown: bool
) -> None:
    # Given CP-1 registered with a password (an open deployment does not waive it)
    service = admission_service(accept_unknown)

    # When it connects with wrong or missing credentials
    reason = refusal(service, "CP-1", "ocpp1.6", authorization)

    # Then it is refused
    assert reason is RefusalReason.BAD_CREDENTIALS


def test_an_unknown_charge_point_is_refused() -> None:
    reason = refusal(admission_service(accept_unknown=False), "CP-NEW", "ocpp1.6", basic("CP-NEW", "anything"))

    assert reason is RefusalReason.UNKNOWN_CHARGE_POINT


def test_an_unknown_charge_point_is_admitted_when_unknown_ones_are_accepted() -> None:
    admission = admission_service(accept_unknown=True).admit("CP-NEW", "ocpp1.6", None)

    assert admission == Admission("CP-NEW", OcppVersion.V16, password_fingerprint(None))


def test_a_registered_charge_point_without_password_is_refused() -> None:
    reason = refusal(admission_service(accept_unknown=False), "CP-OPEN", "ocpp1.6", basic("CP-OPEN", "anything"))

    assert reason is RefusalReason.BAD_CREDENTIALS


def test_a_registered_charge_point_without_password_is_admitted_when_unknown_ones_are_accepted() -> None:
    admission = admission_service(accept_unknown=True).admit("CP-OPEN", "ocpp2.0.1", None)

    assert admission == Admission("CP-OPEN", OcppVersion.V201, password_fingerprint(None))


# Password hashing -----------------------------------------------------------------------------


def test_a_password_hash_does_not_contain_the_password() -> None:
    assert PASSWORD not in PASSWORD_HASH
    assert base64.b64encode(PASSWORD.encode()).decode() not in PASSWORD_HASH


def test_two_hashes_of_the_same_password_differ() -> None:
    assert hash_password(PASSWORD) != PASSWORD_HASH


@pytest.mark.parametrize(
    ("password", "stored_hash", "expected"),
    [
        pytest.param(PASSWORD, PASSWORD_HASH, True, id="right"),
        pytest.param("wrong", PASSWORD_HASH, False, id="wrong"),
        pytest.param("", PASSWORD_HASH, False, id="empty"),
        pytest.param(PASSWORD.upper(), PASSWORD_HASH, False, id="case-differs"),
        pytest.param(PASSWORD, None, False, id="no-hash"),
        pytest.param("", None, False, id="empty-and-no-hash"),
    ],
)
def test_verify_password(password: str, stored_hash: str | None, expected: bool) -> None:
    assert verify_password(password, stored_hash) is expected


def test_a_hash_names_its_scrypt_parameters_and_one_made_with_others_still_verifies() -> None:
    scheme, n, r, p, salt, _ = PASSWORD_HASH.split("$")
    assert (scheme, n, r, p) == ("scrypt", "4096", "8", "1")
    # As stored before the cost came down to N = 2**12.
    digest = hashlib.scrypt(PASSWORD.encode(), salt=base64.b64decode(salt), n=2**14, r=8, p=1)
    earlier_hash = "$".join(["scrypt", "16384", "8", "1", salt, base64.b64encode(digest).decode()])
    assert verify_password(PASSWORD, earlier_hash) is True
    assert verify_password("wrong", earlier_hash) is False


def test_a_hash_of_another_scheme_never_verifies() -> None:
    _, *rest = PASSWORD_HASH.split("$")
    assert verify_password(PASSWORD, "$".join(["bcrypt", *rest])) is False


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (basic("CP-1", "pa:ss"), ("CP-1", "pa:ss")),
        ("basic " + base64.b64encode(b"CP-1:x").decode(), ("CP-1", "x")),
        (basic("CP-1", ""), ("CP-1", "")),
        (None, None),
        ("Basic", None),
    ],
)
def test_parse_basic_authorization(header: str | None, expected: tuple[str, str] | None) -> None:
    assert parse_basic_authorization(header) == expected


# Credentials changing ---------------------------------------------------------------------------


def test_a_connection_is_still_admitted_until_its_password_changes() -> None:
    # Given CP-1 admitted with its password, and CP-OPEN admitted without one
    charge_points = InMemoryChargePoints()
    charge_points.register("CP-1", PASSWORD_HASH, AT)
    charge_points.register("CP-OPEN", None, AT)
    service = service_over(charge_points, True)
    with_password = service.admit("CP-1", "ocpp1.6", basic("CP-1", PASSWORD)).credentials
    without = service.admit("CP-OPEN", "ocpp1.6", None).credentials
    assert service.still_admitted("CP-1", with_password)
    assert service.still_admitted("CP-OPEN", without)

    # When each gets a new password
    charge_points.register("CP-1", hash_password("another-horse-battery"), AT)
    charge_points.register("CP-OPEN", hash_password("another-horse-battery"), AT)

    # Then neither connection is admitted any more, nor one that names no password
    assert not service.still_admitted("CP-1", with_password)
    assert not service.still_admitted("CP-OPEN", without)
    assert not service.still_admitted("CP-1", None)
