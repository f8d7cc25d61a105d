"""/api/files/{token}: short file links (`csms.domain.short_links`), for chargers whose URL fields are too short for
a presigned S3 URL. Public: the token is the capability, and chargers have no API token.

PUT stores the request's body as the linked file; GET and HEAD answer 307 to a presigned S3 GET of it (a charger
follows a redirect on GET; on PUT many HTTP clients do not, hence the body through the function). An unknown,
expired or other-method token is 404, saying no more.
"""

import base64
from datetime import timedelta
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from csms.api.errors import error_documentation, error_response, responses
from csms.api.openapi import OPEN, Tag
from csms.composition import get_services
from csms.domain.short_links import UnknownShortLinkError

router = Router()

PATH = "/api/files/<token>"
# A Lambda request payload is at most 6 MB (6,291,456 bytes), the event's JSON included; API Gateway hands a binary
# body over in base64 (4 characters per 3 bytes), so 4.5 MiB of file is all that fits, less the event's headers and
# context: 4,700,000 bytes. A larger body never reaches the function on AWS (API Gateway refuses it); this limit makes
# `csms local`, whose front door takes up to 10 MB, refuse it too.
MAX_UPLOAD_BYTES = 4_700_000
# How long the presigned GET a link redirects to is valid: enough to start the download.
REDIRECT_VALIDITY = timedelta(minutes=5)
_UNKNOWN = "No such file link (unknown, expired, or not for this method)"
_NOT_FOUND = {HTTPStatus.NOT_FOUND.value: error_documentation(HTTPStatus.NOT_FOUND, _UNKNOWN)}


@router.put(
    PATH,
    operation_id="putLinkedFile",
    summary="Upload the file a short link stands for",
    description="The body (any content type, at most 4,700,000 bytes) becomes the file, replacing any. Needs no "
    "API token: the link's token allows this one upload until it expires. 200, 404 no such upload link, 413 too large.",
    tags=[Tag.FILES],
    openapi_extensions=OPEN,
    responses={
        **responses(HTTPStatus.REQUEST_ENTITY_TOO_LARGE),
        HTTPStatus.OK.value: {"description": "Stored", "content": {}},
        **_NOT_FOUND,
    },
)
def put_linked_file(token: str) -> Response[Any]:
    event = router.current_event
    body = event.get("body") or ""
    content = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode()
    if len(content) > MAX_UPLOAD_BYTES:
        return error_response(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"A file through a short link is at most {MAX_UPLOAD_BYTES} bytes"
        )
    try:
        get_services().linked_files.store(token, content)
    except UnknownShortLinkError:
        return error_response(HTTPStatus.NOT_FOUND, _UNKNOWN)
    return Response(status_code=HTTPStatus.OK.value)


@router.get(
    PATH,
    operation_id="getLinkedFile",
    summary="Download the file a short link stands for",
    description="307 to a presigned URL of the file, valid for 5 minutes (`HEAD` too). Needs no API token: the "
    "link's token allows this download until it expires. 404 no such download link.",
    tags=[Tag.FILES],
    openapi_extensions=OPEN,
    responses={
        **responses(success=HTTPStatus.TEMPORARY_REDIRECT),
        HTTPStatus.TEMPORARY_REDIRECT.value: {"description": "To the file (`Location`)", "content": {}},
        **_NOT_FOUND,
    },
)
def get_linked_file(token: str) -> Response[Any]:
    try:
        location = get_services().linked_files.download_url(token, REDIRECT_VALIDITY)
    except UnknownShortLinkError:
        return error_response(HTTPStatus.NOT_FOUND, _UNKNOWN)
    return Response(status_code=HTTPStatus.TEMPORARY_REDIRECT.value, headers={"Location": location})


@router.head(PATH, include_in_schema=False)
def head_linked_file(token: str) -> Response[Any]:
    """As GET (HEAD answers carry no body)."""
    return get_linked_file(token)
