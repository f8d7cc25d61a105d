"""The web console's files at `/` through the front door: assets, the SPA fallback, config.json."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from csms.local.endpoints import Endpoints
from tests.local.conftest import FakeHandlers, endpoints_config
from tests.local.test_http_api import request

INDEX = b"<!doctype html><title>console</title>"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    directory = tmp_path / "dist"
    (directory / "assets").mkdir(parents=True)
    (directory / "index.html").write_bytes(INDEX)
    (directory / "assets" / "index-abc123.js").write_text("console.log(1)")
    (directory / "assets" / "index-abc123.css").write_text("body{}")
    (directory / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("not for the web")
    return directory


async def _endpoints(console_dir: Path, fakes: FakeHandlers) -> AsyncIterator[Endpoints]:
    endpoints = Endpoints(replace(endpoints_config(), console_dir=console_dir))
    await endpoints.start()
    fakes.install(endpoints)
    try:
        yield endpoints
    finally:
        await endpoints.close()


@pytest.fixture
async def console(dist: Path, fakes: FakeHandlers) -> AsyncIterator[Endpoints]:
    async for endpoints in _endpoints(dist, fakes):
        yield endpoints


@pytest.fixture
async def unbuilt(tmp_path: Path, fakes: FakeHandlers) -> AsyncIterator[Endpoints]:
    async for endpoints in _endpoints(tmp_path / "missing", fakes):
        yield endpoints


async def test_index_at_the_root(console: Endpoints) -> None:
    reply = await request(console, "GET", "/")
    assert reply.status == 200
    assert reply.body == INDEX
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    assert reply.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/assets/index-abc123.js", "text/javascript; charset=utf-8"),
        ("/assets/index-abc123.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
    ],
)
async def test_files_with_their_content_type(console: Endpoints, path: str, content_type: str) -> None:
    reply = await request(console, "GET", path)
    assert reply.status == 200
    assert reply.headers["content-type"] == content_type
    assert reply.headers["x-content-type-options"] == "nosniff"


async def test_hashed_assets_are_cached_for_good(console: Endpoints) -> None:
    reply = await request(console, "GET", "/assets/index-abc123.js")
    assert reply.headers["cache-control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("path", ["/chargers", "/chargers/CP-1", "/sessions/42?chargerId=CP-1", "/index.html"])
async def test_console_routes_get_the_index(console: Endpoints, path: str) -> None:
    reply = await request(console, "GET", path)
    assert reply.status == 200
    assert reply.body == INDEX


async def test_a_missing_asset_is_not_found(console: Endpoints) -> None:
    reply = await request(console, "GET", "/assets/index-gone.js")
    assert reply.status == 404


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"])
async def test_nothing_outside_the_directory(console: Endpoints, path: str) -> None:
    reply = await request(console, "GET", path)
    assert b"not for the web" not in reply.body


async def test_head_has_no_body(console: Endpoints) -> None:
    reply = await request(console, "HEAD", "/")
    assert reply.status == 200
    assert reply.body == b""
    assert reply.headers["content-length"] == str(len(INDEX))


async def test_other_methods_are_refused(console: Endpoints) -> None:
    reply = await request(console, "POST", "/", body=b"{}")
    assert reply.status == 405
    assert reply.headers["allow"] == "GET, HEAD"


async def test_config_says_token_sign_in(console: Endpoints) -> None:
    reply = await request(console, "GET", "/config.json")
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/json"
    assert reply.json() == {"auth": "token"}


async def test_api_and_ocpp_paths_are_not_the_console(console: Endpoints) -> None:
    assert (await request(console, "GET", "/api/chargers")).status == 401
    ocpp = await request(console, "GET", "/ocpp/CP-1")
    assert ocpp.status == 404
    assert ocpp.body != INDEX


async def test_unbuilt_console_says_how_to_build_it(unbuilt: Endpoints) -> None:
    reply = await request(unbuilt, "GET", "/chargers")
    assert reply.status == 404
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    assert b"npm run build" in reply.body
    assert (await request(unbuilt, "GET", "/config.json")).json() == {"auth": "token"}
