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

# Powertools' request and response validation, which a resolver without its middlewares imports with the
# first route that validates.
VALIDATION_MIDDLEWARES = "aws_lambda_powertools.event_handler.middlewares.openapi_validation"
DOCUMENT_PATHS = frozenset({API_DOCS_PATH, API_OPENAPI_PATH})
_RANK = {module: rank for rank, module in enumerate(MODULE_NAMES)}


def _registration_rank(route: Route) -> int:
    """Where the route would be had every module been included at once (others, the documentation's, last)."""
    return _RANK.get(route.func.__module__, len(_RANK))


class OperatorApiResolver(APIGatewayHttpResolver):
    """Validates every request and response against the route's signature (Powertools' `enable_validation`).

    Validation needs pydantic, which costs about half of `import boto3`. Powertools makes its validation
    middlewares when the resolver is made, or, when it has none, with the first route that validates
    (`Route._build_middleware_stack`). The resolver is made without them, so that a cold start imports
    pydantic with the first route it serves, which imports its models anyway, not before.
    """

    def __init__(self, *, enable_validation: bool = True, **options: Any) -> None:
        super().__init__(**options, enable_validation=False)
        self._enable_validation = enable_validation
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

    def prepare_every_route(self) -> None:
        """Import and build ahead what each route would on its first request: its module, its models, the
        validation of its parameters and body (`csms.initialization`)."""
        self.include_all_routes()
        importlib.import_module(VALIDATION_MIDDLEWARES)
        for route in (*self._static_routes, *self._dynamic_routes):
            route.dependant  # noqa: B018 - Powertools builds a route's validation models on first access
            route.body_field  # noqa: B018

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
