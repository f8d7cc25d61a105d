"""A firmware image as registered: what it is for (vendor and model), the version it installs, and what a secure
update carries (the signing certificate and the signature)."""

from dataclasses import dataclass
from datetime import datetime

KEY_PREFIX = "firmware/"


@dataclass(frozen=True)
class FirmwareImage:
    firmware_id: str
    vendor: str  # as chargers report it at boot (1.6 chargePointVendor, 2.0.1 chargingStation.vendorName)
    model: str
    version: str  # the firmwareVersion a charger reports once it runs the image
    created_at: datetime
    signing_certificate: str | None = None  # PEM, for secure updates (both or neither with the signature)
    signature: str | None = None  # base64

    @property
    def key(self) -> str:
        """Where the image is stored (`csms.domain.file_store`)."""
        return f"{KEY_PREFIX}{self.firmware_id}"

    @property
    def signed(self) -> bool:
        return self.signing_certificate is not None and self.signature is not None
