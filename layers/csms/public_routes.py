"""The operator API's public routes (`constants.PUBLIC_API_ROUTES`, in API Gateway's path syntax, `{name}` for one
path segment): as the API's resolver declares them, and which of them a request's raw path is (`csms local`'s HTTP
API answers these without a token, as API Gateway does)."""

import re

from csms.constants import PUBLIC_API_ROUTES

_PARAMETER = re.compile(r"\{(\w+)\}")
_MATCHERS = [
    (re.compile("[^/]+".join(re.escape(part) for part in _PARAMETER.split(path)[::2])), methods)
    for path, methods in PUBLIC_API_ROUTES.items()
]


def resolver_routes() -> frozenset[tuple[str, str]]:
    """(method, path) as Powertools declares routes: `/api/files/<token>`."""
    return frozenset(
        (method, _PARAMETER.sub(r"<\1>", path)) for path, methods in PUBLIC_API_ROUTES.items() for method in methods
    )


def public_methods(raw_path: str) -> tuple[str, ...]:
    """The methods `raw_path` is public for (none: it needs a token)."""
    return next((methods for matcher, methods in _MATCHERS if matcher.fullmatch(raw_path)), ())
