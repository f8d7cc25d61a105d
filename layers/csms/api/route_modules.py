"""Which route modules serve a path: the operator API imports a resource's routes on the first request to it.

A cold start then imports the routes of the resource it serves, with their models and what they use
(cryptography for firmware and certificates, campaigns, ...), rather than every resource's. The order is
the order the routes are registered in, as if all were imported at once, which the OpenAPI document follows.
"""

import re

# (module of `csms.api.routes`, the path prefixes it serves: `*` is one path segment)
ROUTE_MODULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("health", ("/api/health",)),
    ("me", ("/api/me",)),
    ("overview", ("/api/overview",)),
    ("chargers", ("/api/chargers",)),
    ("charging_profiles", ("/api/chargers/*/charging-profiles", "/api/chargers/*/composite-schedule")),
    ("notifications", ("/api/notifications", "/api/chargers/*/notifications")),
    ("ocpp_actions", ("/api/ocpp",)),
    ("id_tokens", ("/api/id-tokens",)),
    ("transactions", ("/api/transactions",)),
    ("reservations", ("/api/reservations",)),
    (
        "commands",
        (
            "/api/commands",
            *(
                f"/api/chargers/*/{action}"
                for action in ("commands", "start", "stop", "reset", "unlock", "availability", "local-list")
            ),
        ),
    ),
    ("tariffs", ("/api/tariffs",)),
    ("sites", ("/api/sites",)),
    ("billing", ("/api/billing", "/api/invoices")),
    ("users", ("/api/users",)),
    ("security_events", ("/api/security-events",)),
    ("certificates", ("/api/certificates", "/api/pki", "/api/chargers/*/certificates")),
    ("installed_certificates", ("/api/chargers/*/installed-certificates",)),
    ("charger_passwords", ("/api/chargers/*/password",)),
    ("security_profile", ("/api/chargers/*/security-profile",)),
    ("charger_logs", ("/api/chargers/*/logs",)),
    ("campaigns", ("/api/campaigns",)),
    ("firmware", ("/api/firmware",)),
    ("firmware_publishing", ("/api/firmware/*/publish", "/api/firmware/*/unpublish")),
    ("files", ("/api/files",)),
)
PACKAGE = "csms.api.routes"
MODULE_NAMES = tuple(f"{PACKAGE}.{name}" for name, _ in ROUTE_MODULES)


def _prefix_matcher(prefix: str) -> re.Pattern[str]:
    """`prefix` and any path below it, segment by segment."""
    return re.compile("/".join("[^/]+" if part == "*" else re.escape(part) for part in prefix.split("/")) + "(?:/|$)")


_MATCHERS = [
    (f"{PACKAGE}.{name}", [_prefix_matcher(prefix) for prefix in prefixes]) for name, prefixes in ROUTE_MODULES
]


def modules_serving(path: str) -> list[str]:
    """The route modules (`csms.api.routes.chargers`, ...) with a route that may match `path`, in order."""
    return [module for module, matchers in _MATCHERS if any(matcher.match(path) for matcher in matchers)]
