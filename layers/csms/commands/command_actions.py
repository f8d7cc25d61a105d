"""Which actions the CSMS may send to a charge point, and what their answers mean."""

from typing import Any

from csms.commands.models import CommandStatus, FollowUpKind
from csms.wire.versions import OcppVersion

# CSMS-to-charge point actions (the ocpp library's schemas cover both directions without saying
# which). OCPP 1.6 with the security extension; OCPP 2.0.1 as published.
COMMAND_ACTIONS: dict[OcppVersion, frozenset[str]] = {
    OcppVersion.V16: frozenset(
        {
            "CancelReservation",
            "CertificateSigned",
            "ChangeAvailability",
            "ChangeConfiguration",
            "ClearCache",
            "ClearChargingProfile",
            "DataTransfer",
            "DeleteCertificate",
            "ExtendedTriggerMessage",
            "GetCompositeSchedule",
            "GetConfiguration",
            "GetDiagnostics",
            "GetInstalledCertificateIds",
            "GetLocalListVersion",
            "GetLog",
            "InstallCertificate",
            "RemoteStartTransaction",
            "RemoteStopTransaction",
            "ReserveNow",
            "Reset",
            "SendLocalList",
            "SetChargingProfile",
            "SignedUpdateFirmware",
            "TriggerMessage",
            "UnlockConnector",
            "UpdateFirmware",
        }
    ),
    OcppVersion.V201: frozenset(
        {
            "CancelReservation",
            "CertificateSigned",
            "ChangeAvailability",
            "ClearCache",
            "ClearChargingProfile",
            "ClearDisplayMessage",
            "ClearVariableMonitoring",
            "CostUpdated",
            "CustomerInformation",
            "DataTransfer",
            "DeleteCertificate",
            "GetBaseReport",
            "GetChargingProfiles",
            "GetCompositeSchedule",
            "GetDisplayMessages",
            "GetInstalledCertificateIds",
            "GetLocalListVersion",
            "GetLog",
            "GetMonitoringReport",
            "GetReport",
            "GetTransactionStatus",
            "GetVariables",
            "InstallCertificate",
            "PublishFirmware",
            "RequestStartTransaction",
            "RequestStopTransaction",
            "ReserveNow",
            "Reset",
            "SendLocalList",
            "SetChargingProfile",
            "SetDisplayMessage",
            "SetMonitoringBase",
            "SetMonitoringLevel",
            "SetNetworkProfile",
            "SetVariableMonitoring",
            "SetVariables",
            "TriggerMessage",
            "UnlockConnector",
            "UnpublishFirmware",
            "UpdateFirmware",
        }
    ),
}

# Response `status` values saying the charge point did not do what was asked. Anything else,
# and a response without a status, is Accepted: Scheduled, RebootRequired, AcceptedCanceled,
# Unlocked, Unpublished, and NoProfiles/EmptyResultSet (the query ran and found nothing).
NEGATIVE_STATUSES = frozenset(
    {
        "Rejected",
        "Failed",
        "NotSupported",
        "NotImplemented",
        "UnlockFailed",
        "UnknownVendorId",
        "UnknownMessageId",
        "Faulted",
        "Occupied",
        "Unavailable",
        "Invalid",
        "InvalidCertificate",
        "RevokedCertificate",
        "NotFound",
        "Unknown",
        "UnknownConnector",
        "UnknownTransaction",
        "OngoingAuthorizedTransaction",
        "VersionMismatch",
        "NotSupportedMessageFormat",
        "NotSupportedPriority",
        "NotSupportedState",
        "NoFirmware",
        "DownloadOngoing",
    }
)

# What an accepted command is followed by, unless the submitter says otherwise.
DEFAULT_FOLLOW_UPS: dict[str, FollowUpKind] = {
    "RemoteStartTransaction": FollowUpKind.TRANSACTION_STARTED,
    "RequestStartTransaction": FollowUpKind.TRANSACTION_STARTED,
    "Reset": FollowUpKind.BACK_ONLINE,
    "UpdateFirmware": FollowUpKind.FIRMWARE_INSTALLED,
    "SignedUpdateFirmware": FollowUpKind.FIRMWARE_INSTALLED,
    "PublishFirmware": FollowUpKind.FIRMWARE_PUBLISHED,
}


def outcome(response: dict[str, Any]) -> CommandStatus:
    """Accepted or Rejected, from the response's `status`."""
    status = response.get("status")
    return CommandStatus.REJECTED if status in NEGATIVE_STATUSES else CommandStatus.ACCEPTED
