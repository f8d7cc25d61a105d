"""Services as tests hold them: with the repositories they were composed with.

The production services give no handle on their repositories (the operator API goes through use
cases); a test arranges and inspects stored state through `repositories` instead.
"""

from csms.composition import Repositories, Services, dynamodb_repositories, get_services


class WiredServices(Services):
    repositories: Repositories


def wired(services: Services, repositories: Repositories) -> WiredServices:
    """`services`, composed with `repositories`, holding them: the very same services (each is built
    once, on first use, whichever of the two asks first)."""
    view = WiredServices.__new__(WiredServices)
    view.__dict__ = services.__dict__
    view.repositories = repositories
    return view


def handler_services() -> WiredServices:
    """The process-wide services the handlers use (`get_services`), with repositories over the same tables."""
    services = get_services()
    return wired(services, dynamodb_repositories(services.settings))
