"""One frame in, at most one frame out: the whole `$default` pipeline for both OCPP versions."""

from ocpp.exceptions import OCPPError
from ocpp.messages import Call

from csms.observability import logger, metrics
from csms.ocpp import frames, v16, v201
from csms.ocpp.errors import CallErrorReply, error_code
from csms.ocpp.registry import ActionRegistry, HandlerContext, Session, registry
from csms.ocpp_versions import OcppVersion
from csms.services import Services

# Importing the version modules registers their action handlers in `registry`.
VERSION_MODULES = (v16, v201)


class Dispatcher:
    def __init__(self, registry: ActionRegistry, services: Services) -> None:
        self._registry = registry
        self._services = services

    def process(self, raw: str, session: Session) -> str | None:
        """Handle one frame from a charge point; returns the reply frame, if one is due."""
        try:
            message = frames.decode(raw, session.ocpp_version)
            if isinstance(message, Call):
                return self._handle_call(message, session)
            self._services.call_answers.received(message, session.charge_point_id, session.ocpp_version)
            return None
        except CallErrorReply as reply:
            logger.info(
                "Answering with CALLERROR",
                extra={"message_id": reply.message_id, "error_code": reply.code, "description": reply.description},
            )
            metrics.add_metric(name="CallErrors", unit="Count", value=1)
            return frames.encode_error(reply)

    def _handle_call(self, call: Call, session: Session) -> str:
        version = session.ocpp_version
        registration = self._registry.lookup(version, call.action)
        if registration is None:
            code = "NotSupported" if frames.is_known_action(call.action, version) else "NotImplemented"
            raise CallErrorReply(
                call.unique_id, error_code(version, code), f"{call.action} is not supported in OCPP {version.value}"
            )
        frames.validate(call, version)
        context = HandlerContext(session, self._services, call.unique_id, call.payload)
        try:
            request = registration.request_type(**frames.to_snake_case(call.payload))
            result = frames.encode_result(
                call.unique_id, call.action, frames.to_payload(registration.handler(context, request))
            )
        except CallErrorReply:
            raise
        except OCPPError as error:
            raise frames.reply_for(call.unique_id, version, error) from error
        except Exception as error:
            raise self._internal_error(call, version, "Handler failed") from error
        try:
            frames.validate(result, version)
        except CallErrorReply as invalid:
            raise self._internal_error(call, version, f"Invalid response: {invalid.description}") from invalid
        metrics.add_metric(name="CallsHandled", unit="Count", value=1)
        frame: str = result.to_json()
        return frame

    def _internal_error(self, call: Call, version: OcppVersion, what: str) -> CallErrorReply:
        logger.exception(what, extra={"message_id": call.unique_id, "action": call.action})
        return CallErrorReply(
            call.unique_id,
            error_code(version, "InternalError"),
            "An internal error occurred and the request was not processed",
        )


def build_dispatcher(services: Services) -> Dispatcher:
    """The dispatcher with every action handler of both versions registered."""
    return Dispatcher(registry, services)
