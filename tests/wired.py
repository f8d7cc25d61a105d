"""Services as tests hold them: with the repositories they were composed with.

The production services keep no handle on their repositories (the operator API goes through use
cases); a test arranges and inspects stored state through `repositories` instead.
"""

from dataclasses import dataclass, fields

from csms.composition import Repositories, Services, dynamodb_repositories, get_services


@dataclass(frozen=True)
class WiredServices(Services):
    repositories: Repositories


def wired(services: Services, repositories: Repositories) -> WiredServices:
    """`services`, composed with `repositories`, holding them."""
    return WiredServices(
        **{field.name: getattr(services, field.name) for field in fields(Services)}, repositories=repositories
    )


def handler_services() -> WiredServices:
    """The process-wide services the handlers use (`get_services`), with repositories over the same tables."""
    services = get_services()
    return wired(services, dynamodb_repositories(services.settings))
