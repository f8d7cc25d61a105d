"""What a charger trusts: the certificates installed on it, installing and deleting one, asking it for its list."""

from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.caller import caller_of
from csms.api.errors import error_response, responses
from csms.api.openapi import Tag, body_examples
from csms.api.routes.chargers import known_charge_point
from csms.api.routes.commands import SUBMITTED, CommandAccepted, submitted
from csms.composition import get_services
from csms.pki.installed import InstalledCertificate, InstalledCertificates, checked_hash_data
from csms.users.roles import Role

router = Router()

PATH = "/api/chargers/<charger_id>/installed-certificates"
ROOT_PEM_EXAMPLE = "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n"


class InstalledCertificateView(ApiModel):
    certificate_type: str = Field(description="As the charger's OCPP version names it")
    hash_algorithm: str
    issuer_name_hash: str
    issuer_key_hash: str
    serial_number: str
    learned_at: datetime = Field(description="When its InstallCertificate was accepted, or the charger listed it")

    @classmethod
    def of(cls, certificate: InstalledCertificate) -> "InstalledCertificateView":
        data = certificate.hash_data
        return cls(
            certificate_type=certificate.certificate_type,
            hash_algorithm=data.hash_algorithm.value,
            issuer_name_hash=data.issuer_name_hash,
            issuer_key_hash=data.issuer_key_hash,
            serial_number=data.serial_number,
            learned_at=certificate.learned_at,
        )


class InstalledCertificatesView(ApiModel):
    items: list[InstalledCertificateView] = Field(description="In the order the CSMS learned them")

    @classmethod
    def of(cls, installed: InstalledCertificates) -> "InstalledCertificatesView":
        return cls(items=[InstalledCertificateView.of(certificate) for certificate in installed.certificates])


class RefreshPending(ApiModel):
    command_ids: list[str] = Field(description="The GetInstalledCertificateIds commands, to follow")


class CertificateInstallation(ApiModel):
    certificate_type: str = Field(
        description="1.6: CentralSystemRootCertificate or ManufacturerRootCertificate; 2.0.1: CSMSRootCertificate, "
        "ManufacturerRootCertificate, V2GRootCertificate or MORootCertificate"
    )
    certificate: str = Field(description="One self-signed root certificate, PEM")


@router.get(
    PATH,
    operation_id="listInstalledCertificates",
    summary="List the certificates installed on a charger",
    description="What the CSMS knows the charger trusts, by OCPP certificate hash data: learned from accepted "
    "InstallCertificate and DeleteCertificate commands and from GetInstalledCertificateIds answers. With "
    "`refresh=true` it first asks the charger (GetInstalledCertificateIds; 1.6: once per certificate type) "
    "through the command workflow and waits up to 10 s: 200 with what it answered, else 202 with the command "
    "ids to follow; refreshing needs role operators (it sends commands), 403 otherwise. 404 unknown charger; 409 "
    "(refresh) one that is not connected or never connected.",
    tags=[Tag.CERTIFICATES],
    responses={
        **responses(HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.FORBIDDEN),
        HTTPStatus.ACCEPTED.value: {
            "description": "Asked, not answered yet",
            "content": {content_types.APPLICATION_JSON: {"model": RefreshPending}},
        },
    },
)
def list_installed_certificates(
    charger_id: str,
    refresh: Annotated[bool, Query(description="Ask the charger first")] = False,
) -> Response[dict[str, Any]]:
    known_charge_point(charger_id)
    service = get_services().installed_certificates
    if not refresh:
        return _json(HTTPStatus.OK, InstalledCertificatesView.of(service.installed(charger_id)))
    if not caller_of(router.current_event.raw_event).may(Role.OPERATORS):
        # Asking the charger sends it a command, which needs operators as every command does.
        return error_response(HTTPStatus.FORBIDDEN, "Forbidden: refresh=true sends a command; it needs role operators")
    asked = submitted(charger_id, lambda: service.refresh(charger_id))
    if not asked.answered:
        return _json(HTTPStatus.ACCEPTED, RefreshPending(command_ids=[c.command_id for c in asked.commands]))
    return _json(HTTPStatus.OK, InstalledCertificatesView.of(asked.installed))


@router.post(
    PATH,
    operation_id="installCertificate",
    summary="Install a root certificate on a charger",
    description="Sends InstallCertificate through the command workflow: 202 with the command id; the certificate "
    "joins the charger's installed certificates once it answers Accepted. 422 for a PEM that is not one "
    "self-signed X.509 certificate, or a type the charger's OCPP version does not have.",
    tags=[Tag.CERTIFICATES],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def install_certificate(
    charger_id: str,
    installation: Annotated[
        CertificateInstallation,
        body_examples(
            csms_root=(
                "The CSMS root on a 2.0.1 charger",
                {"certificateType": "CSMSRootCertificate", "certificate": ROOT_PEM_EXAMPLE},
            )
        ),
    ],
) -> CommandAccepted:
    service = get_services().installed_certificates
    command = submitted(
        charger_id, lambda: service.install(charger_id, installation.certificate_type, installation.certificate)
    )
    return CommandAccepted(command_id=command.command_id)


@router.delete(
    PATH,
    operation_id="deleteInstalledCertificate",
    summary="Delete a certificate installed on a charger",
    description="Sends DeleteCertificate for the certificate with this hash data (as listed) through the command "
    "workflow: 202 with the command id; it leaves the charger's installed certificates once the charger answers "
    "Accepted (or NotFound). 422 for hash data that cannot be right.",
    tags=[Tag.CERTIFICATES],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def delete_installed_certificate(
    charger_id: str,
    hash_algorithm: Annotated[str, Query(alias="hashAlgorithm", description="SHA256, SHA384 or SHA512")],
    issuer_name_hash: Annotated[str, Query(alias="issuerNameHash", max_length=128)],
    issuer_key_hash: Annotated[str, Query(alias="issuerKeyHash", max_length=128)],
    serial_number: Annotated[str, Query(alias="serialNumber", max_length=40)],
) -> CommandAccepted:
    hash_data = checked_hash_data(hash_algorithm, issuer_name_hash, issuer_key_hash, serial_number)
    service = get_services().installed_certificates
    command = submitted(charger_id, lambda: service.delete(charger_id, hash_data))
    return CommandAccepted(command_id=command.command_id)


def _json(status: HTTPStatus, view: ApiModel) -> Response[dict[str, Any]]:
    return Response(status, content_types.APPLICATION_JSON, view.model_dump(mode="json", by_alias=True))
