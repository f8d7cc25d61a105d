"""Every route of the operator API has its role, by the rule the README documents.

A new route that changes something must be named in `csms.api.access.ROUTE_ROLES`; these tests
fail until it is, and when the table names a route that no longer exists.
"""

from csms.api.access import READ_METHODS, ROUTE_ROLES, required_role
from csms.api.app import app
from csms.users.roles import Role

OPEN = {
    ("GET", "/api/health"),
    ("HEAD", "/api/health"),
    ("GET", "/api/me"),
    ("GET", "/api/docs"),
    ("GET", "/api/openapi.json"),
    # Short file links: the token in the path is the capability.
    ("GET", "/api/files/<token>"),
    ("HEAD", "/api/files/<token>"),
    ("PUT", "/api/files/<token>"),
}
ADMINS_ONLY_READS = {("GET", "/api/users")}
# Reads that send a command to the charger.
OPERATOR_READS = {("GET", "/api/chargers/<charger_id>/composite-schedule")}
# A site's live limit: operators set and end it, as they send commands.
OPERATOR_CHANGES = {("PUT", "/api/sites/<site_id>/limit"), ("DELETE", "/api/sites/<site_id>/limit")}
# Actions that change what a charger may do, as managing it does: admins.
ADMIN_ACTIONS = {
    ("POST", "/api/certificates/<serial>/revoke"),
    ("POST", "/api/chargers/<charger_id>/installed-certificates"),
    ("POST", "/api/chargers/<charger_id>/password"),
    ("POST", "/api/chargers/<charger_id>/security-profile"),
}


def registered_routes() -> set[tuple[str, str]]:
    app.include_all_routes()
    return {(route.method, route.path) for route in [*app._static_routes, *app._dynamic_routes]}


def test_every_route_that_changes_something_is_named_in_the_table() -> None:
    unnamed = {route for route in registered_routes() if route[0] not in READ_METHODS and route not in ROUTE_ROLES}

    assert not unnamed, f"add these to csms.api.access.ROUTE_ROLES: {sorted(unnamed)}"


def test_the_table_names_only_routes_that_exist() -> None:
    assert not set(ROUTE_ROLES) - registered_routes()


def test_the_roles_follow_the_documented_rule() -> None:
    """Reading: viewers; commands (also a read that sends one), billing runs (POST) and a site's live limit:
    operators; managing (PUT, DELETE) and revoking a certificate: admins."""
    rule = {
        "GET": Role.VIEWERS,
        "HEAD": Role.VIEWERS,
        "POST": Role.OPERATORS,
        "PUT": Role.ADMINS,
        "DELETE": Role.ADMINS,
    }
    for method, route in sorted(registered_routes()):
        if (method, route) in OPEN:
            expected = None
        elif (method, route) in ADMINS_ONLY_READS | ADMIN_ACTIONS:
            expected = Role.ADMINS
        elif (method, route) in OPERATOR_READS | OPERATOR_CHANGES:
            expected = Role.OPERATORS
        else:
            expected = rule.get(method, Role.ADMINS)
        assert required_role(method, route) is expected, (method, route)


def test_what_is_not_classified_needs_admins_unless_it_only_reads() -> None:
    assert required_role("GET", "/api/not-yet") is Role.VIEWERS
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        assert required_role(method, "/api/not-yet") is Role.ADMINS
