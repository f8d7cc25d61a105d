"""The dispatcher with every action handler of both versions registered."""

from csms.ocpp import v16, v201
from csms.ocpp.dispatcher import Dispatcher
from csms.ocpp.registry import registry
from csms.services import Services

# Importing the version modules registers their handlers.
VERSION_MODULES = (v16, v201)


def build_dispatcher(services: Services) -> Dispatcher:
    return Dispatcher(registry, services)
