"""The CSMS's certificate authority: its root certificate, the certificates it issued to chargers, revoking one."""

from datetime import datetime
from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.openapi import Tag
from csms.api.routes.chargers import known_charge_point
from csms.composition import get_services
from csms.pki.models import CertificateRecord, CertificateStatus

router = Router()

PEM_CONTENT_TYPE = "application/x-pem-file"


class CertificateView(ApiModel):
    """A certificate the CA signed for a charger."""

    serial: str = Field(description="Lower-case hexadecimal")
    charger_id: str
    subject: str = Field(description="RFC 4514, e.g. CN=CP001,O=Example")
    issuer: str
    not_before: datetime
    not_after: datetime
    sha256_fingerprint: str = Field(description="Lower-case hexadecimal SHA-256 of the DER certificate")
    status: CertificateStatus = Field(
        description="Active; Superseded once the charger accepted a newer one; Revoked; Expired past notAfter"
    )
    renewal_requested_at: datetime | None = Field(description="When the renewal schedule last asked for a new one")
    pem: str

    @classmethod
    def of(cls, record: CertificateRecord) -> "CertificateView":
        return cls(
            serial=record.serial,
            charger_id=record.charge_point_id,
            subject=record.subject,
            issuer=record.issuer,
            not_before=record.not_before,
            not_after=record.not_after,
            sha256_fingerprint=record.sha256_fingerprint,
            status=record.status,
            renewal_requested_at=record.renewal_requested_at,
            pem=record.pem,
        )


class CertificatesView(ApiModel):
    """Every certificate of the charger (no pages: a handful per year)."""

    items: list[CertificateView] = Field(description="Newest first")


@router.get(
    "/api/pki/ca",
    operation_id="getCaCertificate",
    summary="Get the CA's root certificate",
    description="The root certificate (PEM) of the CSMS's charging-station CA, whose key is in AWS KMS: what a "
    "TLS server or a charger trusts to accept the certificates the CSMS signs. Made (self-signed by the KMS key) "
    "the first time it is needed.",
    tags=[Tag.CERTIFICATES],
    responses={
        **responses(),
        HTTPStatus.OK.value: {
            "description": "The root certificate",
            "content": {PEM_CONTENT_TYPE: {"schema": {"type": "string"}}},
        },
    },
)
def get_ca_certificate() -> Response[str]:
    return Response(HTTPStatus.OK, PEM_CONTENT_TYPE, get_services().certificates.root_pem())


@router.get(
    "/api/chargers/<charger_id>/certificates",
    operation_id="listChargerCertificates",
    summary="List the certificates issued to a charger",
    description="Every certificate the CA signed for the charger (SignCertificate), newest first, with its status.",
    tags=[Tag.CERTIFICATES],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def list_charger_certificates(charger_id: str) -> CertificatesView:
    known_charge_point(charger_id)
    records = get_services().certificates.list_for_charge_point(charger_id)
    return CertificatesView(items=[CertificateView.of(record) for record in records])


@router.post(
    "/api/certificates/<serial>/revoke",
    operation_id="revokeCertificate",
    summary="Revoke a certificate",
    description="Marks a certificate the CA issued Revoked (again: no change), whatever its status: the CSMS no "
    "longer admits it. 404 for a serial the CA never issued.",
    tags=[Tag.CERTIFICATES],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def revoke_certificate(serial: str) -> CertificateView:
    record = get_services().certificates.revoke(serial)
    if record is None:
        raise NotFoundError(f"No certificate {serial}")
    return CertificateView.of(record)
