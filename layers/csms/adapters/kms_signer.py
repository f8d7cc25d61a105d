"""The CA's key in AWS KMS: an asymmetric ECC_NIST_P256 / SIGN_VERIFY key; its private part never leaves KMS."""

from functools import cached_property
from typing import Any

import boto3

SIGNING_ALGORITHM = "ECDSA_SHA_256"
MAX_RAW_MESSAGE_BYTES = 4096  # KMS Sign hashes a RAW message itself up to this size


class KmsCertificateSigner:
    def __init__(self, key_id: str) -> None:
        self._key_id = key_id

    @cached_property
    def _client(self) -> Any:
        return boto3.client("kms")

    @property
    def key_id(self) -> str:
        return self._key_id

    def public_key_info(self) -> bytes:
        return bytes(self._client.get_public_key(KeyId=self._key_id)["PublicKey"])

    def sign(self, message: bytes) -> bytes:
        if len(message) > MAX_RAW_MESSAGE_BYTES:
            raise ValueError(f"{len(message)} bytes to sign: KMS signs at most {MAX_RAW_MESSAGE_BYTES} bytes whole")
        response = self._client.sign(
            KeyId=self._key_id, Message=message, MessageType="RAW", SigningAlgorithm=SIGNING_ALGORITHM
        )
        return bytes(response["Signature"])
