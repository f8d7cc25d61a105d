"""Rotating a charger's Basic-auth password on the charger and in the CSMS (`csms.commands.password_rotation`)."""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import Field

from csms.api.api_model import ApiModel
from csms.api.openapi import Tag, body_examples
from csms.api.routes.commands import SUBMITTED, submitted
from csms.composition import get_services

router = Router()


class PasswordRotationRequest(ApiModel):
    password: str | None = Field(
        default=None,
        description="The new password (absent: the CSMS generates one). 1.6: 16 to 20 bytes in hexadecimal; 2.0.1: "
        "16 to 40 printable characters",
    )


class PasswordRotationStarted(ApiModel):
    command_id: str = Field(description="The SetVariables (2.0.1) or ChangeConfiguration (1.6) command")
    password: str = Field(description="The new password: shown this once, the CSMS keeps only its hash")


@router.post(
    "/api/chargers/<charger_id>/password",
    operation_id="rotateChargerPassword",
    summary="Rotate a charger's Basic-auth password",
    description="Sets a new password on the charger (2.0.1 SetVariables SecurityCtrlr.BasicAuthPassword; 1.6 "
    "ChangeConfiguration AuthorizationKey) through the command workflow and answers it once. Both the old and "
    "the new password admit the charger until it connects with the new one; from then on only the new one does. "
    "A charger that refuses it (or answers with a CALLERROR, or never receives it) keeps its old password. 404 "
    "unknown charger; 409 one that is not connected; 400 one without a password; 422 a password its OCPP version "
    "cannot take.",
    tags=[Tag.CHARGERS],
    status_code=HTTPStatus.ACCEPTED,
    responses=SUBMITTED,
)
def rotate_charger_password(
    charger_id: str,
    rotation: Annotated[
        PasswordRotationRequest,
        body_examples(
            generated=("A password the CSMS generates", {}),
            given=("A 2.0.1 charger's password of your own", {"password": "a-long-passphrase-of-mine"}),
        ),
    ],
) -> PasswordRotationStarted:
    started = submitted(charger_id, lambda: get_services().password_rotation.rotate(charger_id, rotation.password))
    return PasswordRotationStarted(command_id=started.command.command_id, password=started.password)
