"""A raw WebSocket client that completes the handshake and then never reads a byte.

Its receive buffer is small, so frames sent to it back up quickly, as they would behind a stuck or
malicious charge point; it never answers a close frame either.
"""

from __future__ import annotations

import asyncio
import base64
import secrets
import socket

from websockets.frames import Frame, Opcode


class SilentCharger:
    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    @classmethod
    async def connect(cls, host: str, port: int, charge_point_id: str) -> SilentCharger:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.setblocking(False)
        loop = asyncio.get_running_loop()
        try:
            await loop.sock_connect(sock, (host, port))
            key = base64.b64encode(secrets.token_bytes(16)).decode()
            request = (
                f"GET /ocpp/{charge_point_id} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                "Sec-WebSocket-Protocol: ocpp1.6\r\n\r\n"
            )
            await loop.sock_sendall(sock, request.encode())
            head = b""
            while b"\r\n\r\n" not in head:  # one byte at a time: nothing after the head is read
                async with asyncio.timeout(30):
                    byte = await loop.sock_recv(sock, 1)
                if not byte:
                    raise ConnectionError("closed during the handshake")
                head += byte
        except BaseException:
            sock.close()
            raise
        if not head.startswith(b"HTTP/1.1 101"):
            sock.close()
            raise ConnectionError(f"refused: {head.decode(errors='replace')}")
        return cls(sock)

    async def send(self, opcode: Opcode, data: bytes) -> None:
        frame = Frame(opcode, data).serialize(mask=True)
        await asyncio.get_running_loop().sock_sendall(self._sock, frame)

    def close(self) -> None:
        self._sock.close()
