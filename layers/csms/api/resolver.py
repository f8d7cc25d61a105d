"""The operator API's resolver: it imports a resource's routes on the first request to it.

A cold start imports the resolver, its middlewares and error handlers; the first request to
`/api/chargers/...` then the routes that serve it (`csms.api.route_modules`), not those of firmware
or campaigns. The OpenAPI document and Swagger UI include every route, with the roles they need.
"""

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.api_gateway import Route
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.api import access
from csms.api.openapi import enable_docs
from csms.api.route_modules import MODULE_NAMES, modules_serving
from csms.constants import API_DOCS_PATH, API_OPENAPI_PATH

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.models import OpenAPI

DOCUMENT_PATHS = frozenset({API_DOCS_PATH, API_OPENAPI_PATH})
_RANK = {module: rank for rank, module in enumerate(MODULE_NAMES)}


def _registration_rank(route: Route) -> int:
    """Where the route would be had every module been included at once (others, the documentation's, last)."""
    return _RANK.get(route.func.__module__, len(_RANK))


class OperatorApiResolver(APIGatewayHttpResolver):
    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._included: set[str] = set()
        self._documented = False

    def resolve(self, event: Any, context: LambdaContext) -> dict[str, Any]:
        path = APIGatewayProxyEventV2(event).path  # as Powertools matches it: without a stage's name
        if path in DOCUMENT_PATHS:
            self.include_all_routes()
        else:
            self.include_routes(modules_serving(path))
        return super().resolve(event, context)

    def include_routes(self, modules: Iterable[str]) -> None:
        """Include the routers of `modules` not yet included, keeping the routes in registration order.

        Order decides which of two routes matching a path answers, and the order of the document.
        """
        added = [module for module in modules if module not in self._included]
        for module in added:
            self.include_router(importlib.import_module(module).router)
            self._included.add(module)
        if added:
            self._static_routes.sort(key=_registration_rank)
            self._dynamic_routes.sort(key=_registration_rank)

    def include_all_routes(self) -> None:
        """Every route, documented with the role it needs, the OpenAPI document and Swagger UI."""
        self.include_routes(MODULE_NAMES)
        if not self._documented:
            access.document_roles(self)
            enable_docs(self)
            self._documented = True

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> "OpenAPI":
        self.include_all_routes()
        return super().get_openapi_schema(*args, **kwargs)
