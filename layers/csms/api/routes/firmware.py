"""/api/firmware: the firmware images campaigns roll out (`csms.firmware`): registered with the upload URL their
file is PUT to, then read with what the bucket holds of each."""

from datetime import datetime
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.models import PageView
from csms.api.openapi import Tag, body_examples
from csms.api.pagination import DEFAULT_PAGE_SIZE, Limit, NextToken
from csms.composition import get_services
from csms.domain.file_store import StoredFile
from csms.firmware import rules
from csms.firmware.registry import DescribedImage, UnknownFirmwareError

router = Router()

PATH = "/api/firmware"
ONE = f"{PATH}/<firmware_id>"


class FirmwareRequest(ApiModel):
    """Lengths are checked by the registry (422 with every reason), so that all faults are told at once."""

    vendor: str = Field(description=f"As chargers report it at boot (at most {rules.MAX_VENDOR_LENGTH} characters)")
    model: str = Field(description=f"As chargers report it at boot (at most {rules.MAX_MODEL_LENGTH} characters)")
    version: str = Field(
        description="The firmwareVersion a charger reports once it runs the image (at most "
        f"{rules.MAX_VERSION_LENGTH} characters)"
    )
    signing_certificate: str | None = Field(
        None,
        description="Secure update: the PEM X.509 certificate the image was signed with (at most "
        f"{rules.MAX_CERTIFICATE_LENGTH} characters; with `signature`)",
    )
    signature: str | None = Field(
        None,
        description=f"Secure update: the image's signature, base64 (at most {rules.MAX_SIGNATURE_LENGTH} characters; "
        "with `signingCertificate`)",
    )


class FirmwareRegistered(ApiModel):
    firmware_id: str = Field(description="Name it in a firmware campaign's operation")
    upload_url: str = Field(description="PUT the image's bytes here (no credentials needed) before its expiry")
    upload_method: str = Field(description="PUT")
    upload_expires_at: datetime


class UploadedView(ApiModel):
    size: int = Field(description="Bytes")
    md5: str | None = Field(description="Hex MD5 of the content (null for a file that was not stored by one PUT)")

    @classmethod
    def of(cls, stored: StoredFile) -> "UploadedView":
        return cls(size=stored.size, md5=stored.md5)


class FirmwareView(ApiModel):
    firmware_id: str
    vendor: str
    model: str
    version: str
    signed: bool = Field(description="It carries a signing certificate and a signature (secure update)")
    signing_certificate: str | None
    signature: str | None
    created_at: datetime
    uploaded: UploadedView | None = Field(description="The file in the bucket; null until it is uploaded")

    @classmethod
    def of(cls, described: DescribedImage) -> "FirmwareView":
        image = described.image
        return cls(
            firmware_id=image.firmware_id,
            vendor=image.vendor,
            model=image.model,
            version=image.version,
            signed=image.signed,
            signing_certificate=image.signing_certificate,
            signature=image.signature,
            created_at=image.created_at,
            uploaded=UploadedView.of(described.uploaded) if described.uploaded else None,
        )


@router.post(
    PATH,
    operation_id="registerFirmware",
    summary="Register a firmware image",
    description="Registers an image for the chargers of one vendor and model and answers the URL its file is PUT "
    "to (valid one hour; register it again for a new one). A firmware campaign can name it once the file is there "
    "(`uploaded`). 422 with every reason (lengths as OCPP carries them, a certificate that is no PEM X.509 "
    "certificate, a signature that is no base64, one of the two without the other).",
    tags=[Tag.FIRMWARE],
    status_code=HTTPStatus.CREATED,
    responses=responses(success=HTTPStatus.CREATED),
)
def register_firmware(
    request: Annotated[
        FirmwareRequest,
        body_examples(plain=("An image", {"vendor": "ACME", "model": "Wallbox-2", "version": "2.4.1"})),
    ],
) -> FirmwareRegistered:
    registered = get_services().firmware_registry.register(
        request.vendor, request.model, request.version, request.signing_certificate, request.signature
    )
    return FirmwareRegistered(
        firmware_id=registered.image.firmware_id,
        upload_url=registered.upload_url,
        upload_method="PUT",
        upload_expires_at=registered.upload_expires_at,
    )


@router.get(
    PATH,
    operation_id="listFirmware",
    summary="List firmware images",
    description="Every image, newest first, with its file once uploaded. Paged.",
    tags=[Tag.FIRMWARE],
    responses=responses(HTTPStatus.BAD_REQUEST),
)
def list_firmware(limit: Limit = DEFAULT_PAGE_SIZE, next_token: NextToken = None) -> PageView[FirmwareView]:
    page = get_services().firmware_registry.page(limit, next_token)
    return PageView[FirmwareView](items=[FirmwareView.of(image) for image in page.items], next_token=page.next_token)


@router.get(
    ONE,
    operation_id="getFirmware",
    summary="Get a firmware image",
    description="Its fields and, once uploaded, the file's size and MD5. 404 unknown.",
    tags=[Tag.FIRMWARE],
    responses=responses(HTTPStatus.NOT_FOUND),
)
def get_firmware(firmware_id: str) -> FirmwareView:
    try:
        return FirmwareView.of(get_services().firmware_registry.get(firmware_id))
    except UnknownFirmwareError as error:
        raise NotFoundError(f"No firmware {firmware_id}") from error
