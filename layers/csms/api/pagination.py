"""The query parameters every list endpoint takes."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")]
NextToken = Annotated[str | None, Query(alias="nextToken", description="The `nextToken` of the previous page (opaque)")]
