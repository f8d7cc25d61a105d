"""Action handlers registered by (OCPP version, action): never an if/elif chain over names."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from csms.wire.versions import OcppVersion

if TYPE_CHECKING:
    from csms.composition import Services


@dataclass(frozen=True)
class Session:
    """The connection a frame arrived on."""

    charge_point_id: str
    ocpp_version: OcppVersion
    connection_id: str


@dataclass(frozen=True)
class HandlerContext:
    session: Session
    services: "Services"
    message_id: str
    # The payload exactly as received (camelCase), for the few values kept verbatim.
    payload: dict[str, Any]


# The module whose import registers a version's handlers. It is imported on the first lookup for
# that version, so a function handling only 1.6 frames never imports 2.0.1's generated classes.
HANDLER_MODULES = {OcppVersion.V16: "csms.ocpp.v16.handlers", OcppVersion.V201: "csms.ocpp.v201.handlers"}

# A handler takes the request as the `ocpp` library's dataclass and returns the response dataclass.
ActionHandler = Callable[[HandlerContext, Any], Any]


@dataclass(frozen=True)
class Registration:
    handler: ActionHandler
    request_type: type


class ActionRegistry:
    def __init__(self) -> None:
        self._handlers: dict[tuple[OcppVersion, str], Registration] = {}

    def on(self, version: OcppVersion, request_type: type) -> Callable[[ActionHandler], ActionHandler]:
        """Register a handler for `request_type`, one of the `ocpp` library's call dataclasses."""
        action = request_type.__name__

        def register(handler: ActionHandler) -> ActionHandler:
            key = (version, action)
            if key in self._handlers:
                raise ValueError(f"{action} ({version}) registered twice")
            self._handlers[key] = Registration(handler, request_type)
            return handler

        return register

    def lookup(self, version: OcppVersion, action: str) -> Registration | None:
        self.load(version)
        return self._handlers.get((version, action))

    def actions(self, version: OcppVersion) -> set[str]:
        self.load(version)
        return {action for (registered_version, action) in self._handlers if registered_version is version}

    @staticmethod
    def load(version: OcppVersion) -> None:
        """Register `version`'s handlers, importing them and its generated classes, if not yet done."""
        importlib.import_module(HANDLER_MODULES[version])

    def load_every_version(self) -> None:
        for version in HANDLER_MODULES:
            self.load(version)


registry = ActionRegistry()
