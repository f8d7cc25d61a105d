"""The client certificate a TLS terminator verified, as CloudFront viewer mTLS passes it to the origin.

CloudFront (`ViewerMtlsConfig`) adds `CloudFront-Viewer-Cert-*` headers to a request whose viewer presented
a certificate; the origin request policy forwards `-Present` and `-Pem` (the URL-encoded leaf, origin only)
to the WebSocket API, and the authorizer reads them only on a request that carries the origin-verify
secret. `csms local --tls-port` adds the same two headers for the certificate its TLS listener verified
(`csms.local.front_door`), after dropping any a client sent itself.
"""

from collections.abc import Callable
from typing import Final
from urllib.parse import quote, unquote

CERT_PRESENT_HEADER: Final = "CloudFront-Viewer-Cert-Present"
CERT_PEM_HEADER: Final = "CloudFront-Viewer-Cert-Pem"
# Every header of this family, whoever set it (a client's own copies never reach the origin locally).
HEADER_PREFIX: Final = "cloudfront-viewer-cert-"
# The headers the origin request policy forwards (only these reach the authorizer).
FORWARDED_HEADERS: Final = (CERT_PRESENT_HEADER, CERT_PEM_HEADER)


def viewer_certificate_headers(pem: str | None) -> list[tuple[str, str]]:
    """What CloudFront adds for a viewer that presented the certificate `pem` (None: none presented)."""
    if pem is None:
        return [(CERT_PRESENT_HEADER, "0")]
    return [(CERT_PRESENT_HEADER, "1"), (CERT_PEM_HEADER, quote(pem, safe=""))]


def presented_certificate(header: Callable[[str], str | None]) -> str | None:
    """The PEM leaf the viewer presented, from the request's headers; None if it presented none."""
    pem = header(CERT_PEM_HEADER)
    if header(CERT_PRESENT_HEADER) != "1" or not pem:
        return None
    return unquote(pem)
