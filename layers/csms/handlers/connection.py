"""`$connect` (authorizer and route) and `$disconnect`."""

import hmac
import threading
import time
from typing import Any

from csms import constants
from csms.composition import get_services
from csms.domain.admission import ConnectionRefusedError, RefusalReason, admitted_with_certificate
from csms.domain.ports import SupersededConnectionError
from csms.gateway_path import AUTHORIZATION_COPY_HEADER
from csms.handlers.websocket_events import authorized_credentials, authorized_identity, connection_id, header
from csms.metric_names import CONNECTS, DISCONNECTS
from csms.observability import logger, metrics
from csms.viewer_certificate import presented_certificate

# API Gateway answers 401 to a REQUEST authorizer that raises exactly this.
UNAUTHORIZED = "Unauthorized"
# Refusals of repeated wrong passwords that wait at once in one process (`csms.domain.wrong_passwords`); more are
# answered at once. A Lambda container handles one at a time; `csms local` runs its handlers on a few shared
# threads, which waiting refusals must not all hold.
_WAITING_REFUSALS = threading.BoundedSemaphore(2)


def authorize_connection(event: dict[str, Any]) -> dict[str, Any]:
    """REQUEST authorizer: Allow with (charge point id, version) as context, Deny (403) or 401."""
    services = get_services()
    secret = services.settings.origin_verify_secret
    if secret and not _same_secret(header(event, constants.ORIGIN_VERIFY_HEADER) or "", secret):
        logger.warning("Connection did not come through the OCPP endpoint (origin check failed)")
        raise Exception(UNAUTHORIZED)
    try:
        admission = services.admission.admit(
            header(event, constants.CHARGE_POINT_ID_HEADER),
            header(event, "Sec-WebSocket-Protocol"),
            # CloudFront cannot forward Authorization: its viewer-request function copies it here.
            header(event, AUTHORIZATION_COPY_HEADER),
            # Viewer mTLS: trusted as the origin secret above is (none configured: a test or an open setup).
            presented_certificate(lambda name: header(event, name)),
        )
    except ConnectionRefusedError as refusal:
        logger.info("Connection refused", extra={"reason": refusal.reason.value})
        if refusal.reason is RefusalReason.NO_COMMON_SUBPROTOCOL:
            return _policy("unknown", "Deny", event["methodArn"], {})
        _wait_before_refusing(refusal.answer_delay)
        raise Exception(UNAUTHORIZED) from refusal
    logger.append_keys(charge_point_id=admission.charge_point_id)
    logger.info("Connection admitted", extra={"ocpp_version": admission.ocpp_version.value})
    context = {
        constants.AUTHORIZER_CHARGE_POINT_ID: admission.charge_point_id,
        constants.AUTHORIZER_OCPP_VERSION: admission.ocpp_version.value,
        constants.AUTHORIZER_CREDENTIALS: admission.credentials,
    }
    return _policy(admission.charge_point_id, "Allow", event["methodArn"], context)


def open_connection(event: dict[str, Any]) -> dict[str, Any]:
    """`$connect`: bind the connection and answer with the negotiated subprotocol.

    Refused (401) if the charge point's password changed since the authorizer checked it: the
    check comes after the connection is current, so a password change either sees this
    connection (and ends it) or is seen here. A connection made with a client certificate
    completes the charger's security profile upgrade (`csms.pki.security_profile_upgrade`).
    """
    identity = authorized_identity(event)
    if identity is None:
        return {"statusCode": 403}
    charge_point_id, version = identity
    connection = connection_id(event)
    logger.append_keys(charge_point_id=charge_point_id, connection_id=connection)
    services = get_services()
    try:
        services.charge_points.connected(charge_point_id, connection, version)
    except SupersededConnectionError:
        logger.info("Connection refused: the charge point opened a newer one at the same time")
        return {"statusCode": 409}
    credentials = authorized_credentials(event)
    if not services.admission.still_admitted(charge_point_id, credentials):
        services.charge_points.disconnected(connection, charge_point_id)
        logger.info("Connection refused: the charge point's password changed while it connected")
        return {"statusCode": 401}
    if admitted_with_certificate(credentials):
        # The charger's certificate works: a security profile upgrade waiting for this connection is completed.
        services.security_profile_upgrades.reconnected_with_certificate(charge_point_id)
    metrics.count(CONNECTS)
    logger.info("Charge point connected", extra={"ocpp_version": version.value})
    return {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": version.subprotocol}}


def close_connection(event: dict[str, Any]) -> dict[str, Any]:
    """`$disconnect` (best effort, possibly after the same charge point already reconnected)."""
    identity = authorized_identity(event)
    connection = connection_id(event)
    logger.append_keys(connection_id=connection, charge_point_id=identity[0] if identity else None)
    get_services().charge_points.disconnected(connection, identity[0] if identity else None)
    metrics.count(DISCONNECTS)
    logger.info("Charge point disconnected")
    return {"statusCode": 200}


def _wait_before_refusing(seconds: float) -> None:
    if seconds <= 0 or not _WAITING_REFUSALS.acquire(blocking=False):
        return
    try:
        time.sleep(seconds)
    finally:
        _WAITING_REFUSALS.release()


def _same_secret(presented: str, secret: str) -> bool:
    """Constant-time comparison of bytes: `hmac.compare_digest` raises on non-ASCII `str`.

    `surrogatepass` encodes whatever a header holds, lone surrogates included, and never into a
    valid UTF-8 secret's bytes.
    """
    return hmac.compare_digest(presented.encode(errors="surrogatepass"), secret.encode())


def _policy(principal_id: str, effect: str, method_arn: str, context: dict[str, str]) -> dict[str, Any]:
    return {
        "principalId": principal_id,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": method_arn}],
        },
        "context": context,
    }
