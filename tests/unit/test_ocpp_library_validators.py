"""The ocpp library caches one validator per action, made with whichever number parsing asked first:
reading a schema (the console's command form) before a command is validated must not break validation."""

import subprocess
import sys
import textwrap


def test_reading_the_schema_first_leaves_decimal_validation_working() -> None:
    # A new interpreter: the library's cache is per process, and other tests may have filled it already.
    script = textwrap.dedent(
        """
        from csms.wire.ocpp_library import request_schema, request_violations
        from csms.wire.versions import OcppVersion

        request_schema("SetChargingProfile", OcppVersion.V16)
        period = {"startPeriod": 0, "limit": 21.3}
        profile = {
            "chargingProfileId": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Absolute",
            "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [period]},
        }
        payload = {"connectorId": 1, "csChargingProfiles": profile}
        print(request_violations("SetChargingProfile", payload, OcppVersion.V16))
        """
    )
    run = subprocess.run(  # noqa: S603 (this test's own script)
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )

    assert (run.returncode, run.stdout.strip()) == (0, "[]"), run.stderr
