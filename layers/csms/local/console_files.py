"""The web console at `/`, as CloudFront serves it from its S3 bucket on AWS.

Files come from the console's build (`console/dist`, written by `npm run build` in `console/`).
Any other path outside `/api` and `/ocpp` is a route of the single-page application and gets
`index.html`; a missing file under `/assets/` is 404 instead, so that a stale page asking for an
old bundle fails plainly. `GET /config.json` tells the console how to sign in: locally with the
runtime's bearer token (on AWS the deployment writes a Cognito one next to the files).
"""

from __future__ import annotations

import asyncio
import html
import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from csms import constants
from csms.local.front_door import HttpRequest, HttpResponse, json_response

# layers/csms/local/console_files.py -> the repository's console/dist (a source checkout).
DEFAULT_CONSOLE_DIR = Path(__file__).resolve().parents[3] / "console" / "dist"
CONFIG_PATH = "/config.json"
LOCAL_CONFIG: Mapping[str, Any] = {"auth": "token"}
_NOT_CONSOLE = ("/api", constants.OCPP_PATH_PREFIX.rstrip("/"))
_ASSETS = "assets"
_INDEX = "index.html"
# Vite names every file under assets/ after a hash of its content.
_IMMUTABLE = "public, max-age=31536000, immutable"
_TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".map": "application/json",
}


class ConsoleFiles:
    """Serves every path the HTTP services before it left (the front door tries it last)."""

    def __init__(self, directory: Path, config: Mapping[str, Any] = LOCAL_CONFIG) -> None:
        self._directory = directory.resolve()
        self._config = config

    def serves(self, raw_path: str) -> bool:
        return not any(raw_path == prefix or raw_path.startswith(prefix + "/") for prefix in _NOT_CONSOLE)

    async def handle(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(405, [("Allow", "GET, HEAD")])
        if request.raw_path == CONFIG_PATH:
            return json_response(200, self._config, ("Cache-Control", "no-cache"))
        index = self._directory / _INDEX
        if not index.is_file():
            return _not_built(self._directory)
        file = self._file(request.raw_path)
        if file is None:
            if request.raw_path.startswith(f"/{_ASSETS}/"):
                return json_response(404, {"message": "Not Found"})
            file = index
        cache = _IMMUTABLE if file.parent == self._directory / _ASSETS else "no-cache"
        headers = [
            ("Content-Type", _content_type(file)),
            ("Cache-Control", cache),
            ("X-Content-Type-Options", "nosniff"),
        ]
        return HttpResponse(200, headers, await asyncio.to_thread(file.read_bytes))

    def _file(self, raw_path: str) -> Path | None:
        """The file a path names inside the directory, if there is one (never one outside it)."""
        relative = unquote(raw_path).lstrip("/")
        if not relative:
            return None
        candidate = (self._directory / relative).resolve()
        if not candidate.is_relative_to(self._directory) or not candidate.is_file():
            return None
        return candidate


def _content_type(file: Path) -> str:
    known = _TEXT_TYPES.get(file.suffix.lower())
    if known is not None:
        return known
    guessed, _ = mimetypes.guess_type(file.name)
    return guessed or "application/octet-stream"


def _not_built(directory: Path) -> HttpResponse:
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CSMS console not built</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>The console is not built</h1>
<p>There is no <code>index.html</code> in <code>{html.escape(str(directory))}</code>.
Build it (Node 20) and reload this page:</p>
<pre>cd console &amp;&amp; npm ci &amp;&amp; npm run build</pre>
<p><code>./dev local</code> does this by itself; <code>csms local --console-dir DIR</code> serves a build
kept elsewhere. The operator API is at <a href="/api/docs">/api/docs</a> meanwhile.</p>
</body></html>
"""
    return HttpResponse(404, [("Content-Type", "text/html; charset=utf-8")], page.encode())
