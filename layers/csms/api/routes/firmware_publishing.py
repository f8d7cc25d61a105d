"""/api/firmware/{id}/publish and /unpublish: a registered image handed to a 2.0.1 local controller, which serves it to
the stations behind it (`csms.firmware.publishing`), through the command workflow."""

from collections.abc import Callable
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError, ServiceError
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.errors import responses
from csms.api.openapi import Tag, body_examples
from csms.api.routes.commands import CommandAccepted, submitted
from csms.commands.models import Command
from csms.composition import get_services
from csms.firmware.publishing import FirmwareNotUploadedError
from csms.firmware.registry import UnknownFirmwareError

router = Router()

ONE = "/api/firmware/<firmware_id>"
REFUSALS = (
    "404 unknown image or charger, 409 an image not uploaded yet or a charger that never connected, 422 a charger "
    "that is not OCPP 2.0.1, 429 too many commands waiting for it."
)


class UnpublishRequest(ApiModel):
    charger_id: str = Field(description="The local controller: an OCPP 2.0.1 charging station")


class PublishRequest(UnpublishRequest):
    retries: int | None = Field(None, ge=0, description="How many times it tries the download (OCPP `retries`)")
    retry_interval: int | None = Field(None, ge=0, description="Seconds between its tries (OCPP `retryInterval`)")


@router.post(
    f"{ONE}/publish",
    operation_id="publishFirmware",
    summary="Publish a firmware image on a local controller",
    description="Sends 2.0.1 PublishFirmware through the command workflow: a download URL of the image (at most 512 "
    "characters), its MD5 as `checksum` and a new `requestId`. The command's follow-up (FirmwarePublished) reads the "
    "controller's PublishFirmwareStatusNotifications of that request: its result is `published` true with the "
    "`locations` the stations download from once Published, false with the `publishStatus` at DownloadFailed, "
    f"InvalidChecksum or PublishFailed, or when none came in time. 202 with the command id; {REFUSALS}",
    tags=[Tag.FIRMWARE],
    status_code=HTTPStatus.ACCEPTED,
    responses=responses(
        HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, HTTPStatus.TOO_MANY_REQUESTS, success=HTTPStatus.ACCEPTED
    ),
)
def publish_firmware(
    firmware_id: str,
    request: Annotated[
        PublishRequest, body_examples(controller=("A local controller", {"chargerId": "LC-1", "retries": 3}))
    ],
) -> CommandAccepted:
    publishing = get_services().firmware_publishing
    return _submitted(
        firmware_id,
        request.charger_id,
        lambda: publishing.publish(firmware_id, request.charger_id, request.retries, request.retry_interval),
    )


@router.post(
    f"{ONE}/unpublish",
    operation_id="unpublishFirmware",
    summary="Stop publishing a firmware image on a local controller",
    description="Sends 2.0.1 UnpublishFirmware with the image's MD5 through the command workflow; its answer is the "
    "outcome: Unpublished (Accepted), NoFirmware or DownloadOngoing (Rejected). 202 with the command id; "
    f"{REFUSALS}",
    tags=[Tag.FIRMWARE],
    status_code=HTTPStatus.ACCEPTED,
    responses=responses(
        HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT, HTTPStatus.TOO_MANY_REQUESTS, success=HTTPStatus.ACCEPTED
    ),
)
def unpublish_firmware(
    firmware_id: str,
    request: Annotated[UnpublishRequest, body_examples(controller=("A local controller", {"chargerId": "LC-1"}))],
) -> CommandAccepted:
    publishing = get_services().firmware_publishing
    return _submitted(firmware_id, request.charger_id, lambda: publishing.unpublish(firmware_id, request.charger_id))


def _submitted(firmware_id: str, charger_id: str, submit: Callable[[], Command]) -> CommandAccepted:
    """The command `submit` starts, its refusals as HTTP errors (`submitted`'s, and the image's)."""
    try:
        command = submitted(charger_id, submit)
    except UnknownFirmwareError as error:
        raise NotFoundError(f"No firmware {firmware_id}") from error
    except FirmwareNotUploadedError as error:
        raise ServiceError(
            HTTPStatus.CONFLICT, f"Firmware {firmware_id} is not uploaded yet (or not by one PUT: its MD5 is unknown)"
        ) from error
    return CommandAccepted(command_id=command.command_id)
