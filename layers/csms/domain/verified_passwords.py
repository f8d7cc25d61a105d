"""Passwords a connection was admitted with, remembered so that a reconnect does not cost a hash.

A password check costs one scrypt (milliseconds of CPU, by design); a fleet that
reconnects at once, after a network outage or a restart, would pay it for every charge point on
every attempt. A password that matched a stored hash is remembered as an HMAC, under a key made
for this process, of that hash and the password: the same password against the same hash then
matches without scrypt. Only matches are remembered, so a wrong password always costs the full
check, and a changed password (a new hash) matches nothing remembered. Neither the password nor a
fast hash of it is kept. On AWS each warm Lambda container keeps its own.

A hash made here (`hashed`) is remembered with its password as well: the charge point's first
connection then costs no second scrypt where the operator API and the authorizer share a process
(`csms local`: a fleet registered and then connected, or a password rotated in). On AWS they run in
different functions, and each connection's first check costs a scrypt as before.
"""

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict

from csms.domain.identity import hash_password, verify_password

# Enough for every charge point of a large fleet; the least recently used are forgotten first.
CAPACITY = 50_000


class VerifiedPasswords:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._key = secrets.token_bytes(32)
        self._matched: OrderedDict[bytes, None] = OrderedDict()
        self._lock = threading.Lock()

    def verify(self, password: str, stored_hash: str | None) -> bool:
        """As `identity.verify_password`, without the scrypt for a password that matched before."""
        if stored_hash is None:
            return verify_password(password, None)
        token = self._token(password, stored_hash)
        with self._lock:
            if token in self._matched:
                self._matched.move_to_end(token)
                return True
        if not verify_password(password, stored_hash):
            return False
        self._remember(token)
        return True

    def hashed(self, password: str) -> str:
        """`identity.hash_password`, and the password remembered as matching the new hash."""
        stored_hash = hash_password(password)
        self._remember(self._token(password, stored_hash))
        return stored_hash

    def _token(self, password: str, stored_hash: str) -> bytes:
        return hmac.new(self._key, f"{stored_hash}\0{password}".encode(), hashlib.sha256).digest()

    def _remember(self, token: bytes) -> None:
        with self._lock:
            self._matched[token] = None
            while len(self._matched) > self._capacity:
                self._matched.popitem(last=False)


VERIFIED_PASSWORDS = VerifiedPasswords()
