"""SIGTERM to `csms local` (a child process, the real handlers) with charge points connected, some of
them busy and some never reading: it exits within 5 s and every WebSocket is closed, with 1001
(going away) where the client reads."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from tests.local.silent_charger import SilentCharger

SIGTERM_BOUND = 5.0
_WS_URL = re.compile(r"OCPP WebSocket:\s+(\S+)/\{chargePointId\}")


async def _start_runtime(directory: Path) -> tuple[asyncio.subprocess.Process, str]:
    """`csms local` as an operator starts it (its state in the default data directory, here under
    `directory`), on a free port; its log in `directory`."""
    command = [sys.executable, "-m", "csms.cli", "local", "--port", "0", "--accept-unknown-chargers"]
    environment = {**os.environ, "XDG_DATA_HOME": str(directory)}
    log_path = directory / "csms-local.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=log, env=environment
        )
    assert process.stdout is not None
    async with asyncio.timeout(120):
        while not (match := _WS_URL.search(line := (await process.stdout.readline()).decode())):
            assert line, f"csms local exited before its banner: {log_path.read_text()}"
    return process, match.group(1)


async def _call(ws: ClientConnection, message_id: str, action: str, payload: dict[str, str]) -> None:
    await ws.send(json.dumps([2, message_id, action, payload]))
    async with asyncio.timeout(60):
        answer = json.loads(await ws.recv())
    assert answer[:2] == [3, message_id], answer


async def _boot(ws_url: str, charge_point_id: str) -> ClientConnection:
    ws = await connect(f"{ws_url}/{charge_point_id}", subprotocols=[Subprotocol("ocpp1.6")], open_timeout=60)
    await _call(ws, "boot", "BootNotification", {"chargePointVendor": "Acme", "chargePointModel": "AC-22"})
    return ws


async def _heartbeats(ws: ClientConnection) -> None:
    """Calls one after another until the connection is closed."""
    with contextlib.suppress(ConnectionClosed):
        for i in range(10**6):
            await _call(ws, f"hb{i}", "Heartbeat", {})


async def test_sigterm_under_load_exits_within_5_s_and_closes_every_websocket(tmp_path: Path) -> None:
    process, ws_url = await _start_runtime(tmp_path)
    silent: list[SilentCharger] = []
    try:
        chargers = list(await asyncio.gather(*(_boot(ws_url, f"CP{i:03d}") for i in range(100))))
        busy = [asyncio.ensure_future(_heartbeats(ws)) for ws in chargers[:10]]
        url = urlsplit(ws_url)
        assert url.hostname is not None
        assert url.port is not None
        silent = [await SilentCharger.connect(url.hostname, url.port, f"SILENT{i}") for i in range(3)]
        await asyncio.sleep(1)  # the busy ones are mid-call

        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(4 * SIGTERM_BOUND):
            assert await process.wait() == 0
        assert time.monotonic() - sent < SIGTERM_BOUND

        await asyncio.gather(*busy)
        for ws in chargers:
            async with asyncio.timeout(5):
                await ws.wait_closed()
            assert ws.close_code == 1001
    finally:
        for charger in silent:
            charger.close()
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_a_stop_still_going_at_the_deadline_ends_the_process() -> None:
    """`serve` arms this at SIGTERM: here the stop never ends (a sleep), and the process is gone at the deadline."""
    code = "import time; from csms.local.runtime import _exit_at_the_latest; _exit_at_the_latest(0.5); time.sleep(60)"
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", code, stderr=asyncio.subprocess.PIPE)
    async with asyncio.timeout(30):
        _, stderr = await process.communicate()
    assert process.returncode == 1
    assert "the stop took more than 0.5 s: exiting now" in stderr.decode()
