"""Conditional GETs: a weak ETag of the body on every 200 to a GET, and 304 for a client that has it.

The console polls the screens that show live data every few seconds; with `If-None-Match` an
unchanged answer costs a 304 without a body. The body is still computed (the ETag is its hash):
what this saves is transfer and the client's work, not reads. `Cache-Control: no-cache` lets a
browser keep the answer but makes it ask again every time.
"""

import hashlib
import json
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.shared.json_encoder import Encoder

CACHE_CONTROL = "no-cache"


def conditional_get(resolver: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    response = next_middleware(resolver)
    event = resolver.current_event
    if event.http_method != "GET" or response.status_code != HTTPStatus.OK:
        return response
    response.body = _as_sent(response)
    etag = weak_etag(response.body)
    validators = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _matches(event.headers.get("if-none-match"), etag):
        return Response(status_code=HTTPStatus.NOT_MODIFIED, headers=validators)
    response.headers.update(validators)
    return response


def weak_etag(body: str | bytes) -> str:
    """`W/"<hash>"`: weak, as the same content could be sent encoded otherwise (compressed, say)."""
    content = body.encode() if isinstance(body, str) else body
    return f'W/"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'


def _as_sent(response: Response[Any]) -> str | bytes:
    """The body as it goes out: a JSON body is serialized here as Powertools would (its default
    serializer), so the ETag is the hash of the very bytes sent."""
    body = response.body
    if isinstance(body, str | bytes):
        return body
    return json.dumps(body, separators=(",", ":"), cls=Encoder)


def _matches(if_none_match: str | None, etag: str) -> bool:
    """`If-None-Match` is `*` or a list of entity tags, compared weakly (`W/` does not count)."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags
