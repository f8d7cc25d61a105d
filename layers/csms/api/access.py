"""Who may call what: the role each route needs, checked for every request before anything else.

Reading (GET, HEAD) needs `viewers` unless `ROUTE_ROLES` says otherwise; every other route must be
named there (a test fails otherwise), and one that is not needs `admins`, so that a route added
without a thought is closed rather than open. A route listed with None needs no role: any caller
API Gateway let through (`/api/health` needs not even a token).

The role is checked before the request is validated: a caller who may not make a request learns
that, not what is wrong with it. Powertools validates the request before any middleware runs, so a
request that fails validation is checked here too (`invalid_request`).
"""

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from csms.api import errors
from csms.api.caller import caller_of
from csms.public_routes import resolver_routes
from csms.users.roles import ROLES_LOWEST_FIRST, Role

READ_METHODS = frozenset({"GET", "HEAD"})
# Not even a token: liveness, the API's documentation, short file links.
PUBLIC_ROUTES = resolver_routes()

# (method, route as the routers declare it): the role needed, None for none.
ROUTE_ROLES: dict[tuple[str, str], Role | None] = {
    **dict.fromkeys(PUBLIC_ROUTES),
    ("GET", "/api/me"): None,
    # Commands and billing runs: operators.
    ("POST", "/api/chargers/<charger_id>/commands"): Role.OPERATORS,
    ("POST", "/api/chargers/<charger_id>/start"): Role.OPERATORS,
    ("POST", "/api/chargers/<charger_id>/stop"): Role.OPERATORS,
    ("POST", "/api/chargers/<charger_id>/reset"): Role.OPERATORS,
    ("POST", "/api/chargers/<charger_id>/unlock"): Role.OPERATORS,
    ("POST", "/api/chargers/<charger_id>/availability"): Role.OPERATORS,
    ("POST", "/api/chargers/<charger_id>/local-list"): Role.OPERATORS,
    ("POST", "/api/chargers/<charger_id>/logs"): Role.OPERATORS,
    # It sends GetCompositeSchedule to the charger.
    ("GET", "/api/chargers/<charger_id>/composite-schedule"): Role.OPERATORS,
    ("POST", "/api/billing/runs"): Role.OPERATORS,
    # Campaigns send commands to many chargers: operators start, pause, resume and cancel them.
    ("POST", "/api/campaigns"): Role.OPERATORS,
    ("POST", "/api/campaigns/<campaign_id>/pause"): Role.OPERATORS,
    ("POST", "/api/campaigns/<campaign_id>/resume"): Role.OPERATORS,
    ("POST", "/api/campaigns/<campaign_id>/cancel"): Role.OPERATORS,
    # Firmware images are what firmware campaigns install.
    ("POST", "/api/firmware"): Role.OPERATORS,
    ("POST", "/api/firmware/<firmware_id>/publish"): Role.OPERATORS,
    ("POST", "/api/firmware/<firmware_id>/unpublish"): Role.OPERATORS,
    # A site's live limit: what an operator (or an energy manager with an operators token) sets.
    ("PUT", "/api/sites/<site_id>/limit"): Role.OPERATORS,
    ("DELETE", "/api/sites/<site_id>/limit"): Role.OPERATORS,
    # Chargers, id tokens, tariffs, sites and users: admins.
    ("PUT", "/api/chargers/<charger_id>"): Role.ADMINS,
    ("DELETE", "/api/chargers/<charger_id>"): Role.ADMINS,
    ("PUT", "/api/id-tokens/<id_token>"): Role.ADMINS,
    ("DELETE", "/api/id-tokens/<id_token>"): Role.ADMINS,
    ("PUT", "/api/tariffs/<tariff_id>"): Role.ADMINS,
    ("PUT", "/api/sites/<site_id>"): Role.ADMINS,
    ("DELETE", "/api/sites/<site_id>"): Role.ADMINS,
    ("GET", "/api/users"): Role.ADMINS,
    ("PUT", "/api/users/<username>"): Role.ADMINS,
    ("DELETE", "/api/users/<username>"): Role.ADMINS,
    ("POST", "/api/certificates/<serial>/revoke"): Role.ADMINS,
    ("POST", "/api/chargers/<charger_id>/installed-certificates"): Role.ADMINS,
    ("DELETE", "/api/chargers/<charger_id>/installed-certificates"): Role.ADMINS,
    ("POST", "/api/chargers/<charger_id>/password"): Role.ADMINS,
    ("POST", "/api/chargers/<charger_id>/security-profile"): Role.ADMINS,
}

router = Router()


def required_role(method: str, route: str) -> Role | None:
    """The role a request to `route` (as declared, `/api/chargers/<charger_id>`) with `method` needs."""
    if (method, route) in ROUTE_ROLES:
        return ROUTE_ROLES[(method, route)]
    return Role.VIEWERS if method in READ_METHODS else Role.ADMINS


def refusal(resolver: APIGatewayHttpResolver | Router) -> Response[dict[str, Any]] | None:
    """403 when the caller's role does not include the one the matched route needs; None to go on."""
    route = resolver.context["_route"]  # the matched route (for an unknown path, Powertools' not-found route)
    event = resolver.current_event
    required = required_role(route.method, route.path)
    if required is None:
        return None
    caller = caller_of(event.raw_event)
    if caller.may(required):
        return None
    request = f"{event.http_method} {event.path}"
    if caller.role is None:
        roles = ", ".join(role.value for role in ROLES_LOWEST_FIRST)
        message = f"Forbidden: no role: the token names none of the groups {roles}, so it may not {request}"
    else:
        allowed = " or ".join(role.value for role in ROLES_LOWEST_FIRST if role.includes(required))
        message = f"Forbidden: role {caller.role.value} may not {request}; it needs role {allowed}"
    return errors.error_response(HTTPStatus.FORBIDDEN, message)


def enforce_roles(resolver: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    return refusal(resolver) or next_middleware(resolver)


def document_roles(app: APIGatewayHttpResolver) -> None:
    """Say in the OpenAPI document what each operation needs: `x-required-role` (absent: any role), 401, 403.

    Generated clients and readers then learn the rule from the document, not from a refusal.
    """
    for route in [*app._static_routes, *app._dynamic_routes]:  # Powertools keeps no public list
        if not route.include_in_schema or (route.method, route.path) in PUBLIC_ROUTES:
            continue
        role = required_role(route.method, route.path)
        needs = f"role `{role.value}` or higher" if role else "any valid token, whatever its role"
        route.description = f"{route.description or ''}\n\nNeeds {needs}.".strip()
        if role is not None:
            route.openapi_extensions = {**(route.openapi_extensions or {}), "x-required-role": role.value}
        route.responses = {
            **(route.responses or {}),
            # API Gateway's own answer, not the Error shape.
            HTTPStatus.UNAUTHORIZED.value: {"description": 'No valid token: {"message": "Unauthorized"}'},
        }
        if role is not None:
            route.responses[HTTPStatus.FORBIDDEN.value] = errors.error_documentation(
                HTTPStatus.FORBIDDEN, f"The token's role is below {role.value}"
            )


@router.exception_handler(RequestValidationError)
def invalid_request(error: RequestValidationError) -> Response[dict[str, Any]]:
    """422 for a caller who may make the request; 403 for one who may not."""
    return refusal(router) or errors.invalid_request(error)
