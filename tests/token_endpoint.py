"""A small OAuth2 token endpoint (client credentials grant, RFC 6749 4.4) on a free local port, as
Cognito's `/oauth2/token` answers: it checks the client's Basic credentials and issues a fixed token."""

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

CLIENT_ID = "operator-client"
CLIENT_SECRET = "operator-secret"


@dataclass
class TokenEndpoint:
    access_token: str
    expires_in: int = 3600
    url: str = ""
    # The form fields of each token request that carried the right client credentials.
    granted: list[dict[str, str]] = field(default_factory=list)


@contextmanager
def token_endpoint(access_token: str, expires_in: int = 3600) -> Iterator[TokenEndpoint]:
    endpoint = TokenEndpoint(access_token, expires_in)
    expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            form = {name: values[0] for name, values in parse_qs(self._body()).items()}
            if self.headers.get("Authorization") != expected:
                self._answer(400, {"error": "invalid_client"})
            elif form.get("grant_type") != "client_credentials":
                self._answer(400, {"error": "unsupported_grant_type"})
            else:
                endpoint.granted.append(form)
                self._answer(200, {"access_token": access_token, "expires_in": expires_in, "token_type": "Bearer"})

        def _body(self) -> str:
            return self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()

        def _answer(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test reads `granted`."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}/oauth2/token"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
