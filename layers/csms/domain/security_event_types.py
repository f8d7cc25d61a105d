"""Which security events a charger reports are critical: the OCPP 2.0.1 security event list.

Part 2, Appendix 1 ("Security Events", appendices v1.3) marks each standard type critical or
not; the OCPP 1.6 security whitepaper names some of the same events differently. A type that is
on neither list (a vendor's own) is kept and listed but not critical: a charger cannot raise an
alarm with a type it makes up.
"""

CRITICAL_TYPES = frozenset(
    {
        "FirmwareUpdated",
        "SettingSystemTime",
        "StartupOfTheDevice",
        "ResetOrReboot",
        "SecurityLogWasCleared",
        "MemoryExhaustion",
        "TamperDetectionActivated",
        "InvalidCsmsCertificate",
        "InvalidChargingStationCertificate",
        "InvalidTLSVersion",
        "InvalidTLSCipherSuite",
        "MaintenanceLoginAccepted",
        "MaintenanceLoginFailed",
        # OCPP 1.6 security whitepaper names of the 2.0.1 certificate events above.
        "InvalidCentralSystemCertificate",
        "InvalidChargePointCertificate",
    }
)
# Not critical in the list: FailedToAuthenticateAtCsms, CsmsFailedToAuthenticate, ReconfigurationOfSecurityParameters,
# InvalidMessages, AttemptedReplayAttacks, InvalidFirmwareSignature, InvalidFirmwareSigningCertificate (1.6 also:
# FailedToAuthenticateAtCentralSystem, CentralSystemFailedToAuthenticate).


def is_critical(event_type: str) -> bool:
    return event_type in CRITICAL_TYPES
