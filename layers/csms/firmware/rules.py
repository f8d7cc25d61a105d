"""What a registered image's fields may be: the bounds of the OCPP schemas that carry them, so that whatever is
registered can be sent (and matches what chargers report at boot)."""

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from csms.domain.violations import InvalidValuesError

# Boot fields chargers report, the longer of 1.6's and 2.0.1's: the image must be able to match them.
MAX_VENDOR_LENGTH = 50  # 2.0.1 vendorName (1.6 chargePointVendor: 20)
MAX_MODEL_LENGTH = 20  # both versions
MAX_VERSION_LENGTH = 50  # firmwareVersion, both versions
# 2.0.1 UpdateFirmware and 1.6 SignedUpdateFirmware `firmware`.
MAX_CERTIFICATE_LENGTH = 5500
MAX_SIGNATURE_LENGTH = 800


@dataclass(frozen=True)
class ImageFields:
    vendor: str
    model: str
    version: str
    signing_certificate: str | None
    signature: str | None


def parse_image(
    vendor: Any, model: Any, version: Any, signing_certificate: Any = None, signature: Any = None
) -> ImageFields:
    """The fields, or `InvalidValuesError` with every reason."""
    reasons = [
        reason
        for name, value, length in (
            ("vendor", vendor, MAX_VENDOR_LENGTH),
            ("model", model, MAX_MODEL_LENGTH),
            ("version", version, MAX_VERSION_LENGTH),
        )
        if (reason := _text(name, value, length))
    ]
    if signing_certificate is not None:
        reasons += _certificate(signing_certificate)
    if signature is not None:
        reasons += _signature(signature)
    if (signing_certificate is None) != (signature is None):
        reasons.append("signingCertificate and signature: both (a secure update) or neither")
    if reasons:
        raise InvalidValuesError(reasons)
    return ImageFields(vendor, model, version, signing_certificate, signature)


def _text(name: str, value: Any, max_length: int) -> str | None:
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        return f"{name}: a string of 1 to {max_length} characters"
    return None


def _certificate(value: Any) -> list[str]:
    if not isinstance(value, str) or len(value) > MAX_CERTIFICATE_LENGTH:
        return [f"signingCertificate: a PEM certificate of at most {MAX_CERTIFICATE_LENGTH} characters"]
    try:
        x509.load_pem_x509_certificate(value.encode())
    except ValueError:
        return ["signingCertificate: not a PEM X.509 certificate"]
    return []


def _signature(value: Any) -> list[str]:
    if not isinstance(value, str) or not value or len(value) > MAX_SIGNATURE_LENGTH:
        return [f"signature: base64 of at most {MAX_SIGNATURE_LENGTH} characters"]
    try:
        base64.b64decode(value, validate=True)
    except binascii.Error:
        return ["signature: not base64"]
    return []
