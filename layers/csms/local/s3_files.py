"""The FleetFiles bucket over plain HTTP at `/s3/` of the front door: where chargers on the machine PUT their
logs and GET firmware with the presigned URLs the CSMS gave them.

Each request is handed to moto's S3 in this process, as the handlers' own S3 calls are (`in_process_aws.route_s3`):
the URLs are presigned for `{front door}/s3` (`FLEET_FILES_ENDPOINT`), path-style, so that a charger that
reaches the OCPP endpoint reaches these too. moto does not check the signature or the expiry, which S3 does.
"""

from __future__ import annotations

import asyncio

from botocore.awsrequest import AWSPreparedRequest, HTTPHeaders

from csms.local.front_door import HttpRequest, HttpResponse
from csms.local.in_process_aws import IN_PROCESS_AWS, moto_s3_url

PATH_PREFIX = "/s3/"
# Headers of the charger's request that S3 reads (the others describe the hop to the front door).
_PASSED_HEADERS = frozenset({"content-type", "content-length", "content-md5", "range", "if-match", "if-none-match"})
# S3 stores any body as it came; moto reads a body of this type as a form (and stores nothing), and some HTTP
# clients send it with any PUT (Python's urllib does).
_FORM = "application/x-www-form-urlencoded"


def files_endpoint(base_url: str) -> str:
    """The S3 endpoint of the front door at `base_url` (`FLEET_FILES_ENDPOINT`)."""
    return base_url + PATH_PREFIX.rstrip("/")


class LocalS3Files:
    def serves(self, raw_path: str) -> bool:
        return raw_path.startswith(PATH_PREFIX)

    async def handle(self, request: HttpRequest) -> HttpResponse:
        return await asyncio.to_thread(self._answer, request)

    def _answer(self, request: HttpRequest) -> HttpResponse:
        path = request.raw_path.removeprefix(PATH_PREFIX.rstrip("/"))
        url = moto_s3_url(path + (f"?{request.raw_query}" if request.raw_query else ""))
        headers = HTTPHeaders()
        for name, value in request.headers:
            if name.lower() in _PASSED_HEADERS and not value.lower().startswith(_FORM):
                headers[name] = value
        prepared = AWSPreparedRequest(request.method, url, headers, request.body, stream_output=True)
        answer = IN_PROCESS_AWS(prepared)
        if answer is None:
            return HttpResponse(404, [("Content-Type", "text/plain")], b"Not found")
        kept = [(name, str(value)) for name, value in answer.headers.items() if name.lower() != "content-length"]
        return HttpResponse(answer.status_code, kept, answer.content if request.method != "HEAD" else b"")
