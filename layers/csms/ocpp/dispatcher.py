"""One frame in, at most one frame out: the whole `$default` pipeline for both OCPP versions."""

from ocpp.exceptions import OCPPError

from csms import metric_names
from csms.composition import Services
from csms.observability import logger, metrics
from csms.ocpp.registry import ActionRegistry, HandlerContext, Session, registry
from csms.wire import frames, ocpp_library
from csms.wire.errors import CallErrorReply, ErrorCode
from csms.wire.frames import Answer, Call


class Dispatcher:
    def __init__(self, registry: ActionRegistry, services: Services) -> None:
        self._registry = registry
        self._services = services

    def process(self, raw: str | bytes, session: Session) -> str | None:
        """Handle one frame from a charge point; returns the reply frame, if one is due."""
        try:
            message = frames.decode(raw, session.ocpp_version)
        except CallErrorReply as reply:
            return self._call_error(reply, session, metric_names.UNKNOWN_ACTION)
        if not isinstance(message, Call):
            self._handle_answer(message, session)
            return None
        action = self._action_dimension(message.action, session)
        try:
            frame = self._handle_call(message, session)
        except CallErrorReply as reply:
            return self._call_error(reply, session, action)
        metrics.count(metric_names.CALLS, **{metric_names.ACTION: action})
        return frame

    def _call_error(self, reply: CallErrorReply, session: Session, action: str) -> str:
        logger.info(
            "Answering with CALLERROR",
            extra={"message_id": reply.message_id, "error_code": reply.code.name, "description": reply.description},
        )
        metrics.count(metric_names.CALL_ERRORS, **{metric_names.ACTION: action})
        if reply.code is ErrorCode.INTERNAL_ERROR:
            metrics.count(metric_names.INTERNAL_ERRORS)
        return frames.encode_error(reply, session.ocpp_version)

    def _action_dimension(self, action: str, session: Session) -> str:
        """The action as a metric dimension: one OCPP names, else `UNKNOWN_ACTION` (a charge point must not
        create metrics, each billed, by sending made-up actions)."""
        version = session.ocpp_version
        known = self._registry.lookup(version, action) is not None or ocpp_library.is_known_action(action, version)
        return action if known else metric_names.UNKNOWN_ACTION

    def _handle_call(self, call: Call, session: Session) -> str:
        version = session.ocpp_version
        registration = self._registry.lookup(version, call.action)
        if registration is None:
            known = ocpp_library.is_known_action(call.action, version)
            raise CallErrorReply(
                call.message_id,
                ErrorCode.NOT_SUPPORTED if known else ErrorCode.NOT_IMPLEMENTED,
                f"{call.action[:50]} is not supported in OCPP {version.value}",
            )
        try:
            ocpp_library.validate_call(call, version)
            request = registration.request_type(**ocpp_library.to_snake_case(call.payload))
            response = ocpp_library.to_payload(
                registration.handler(HandlerContext(session, self._services, call.message_id, call.payload), request)
            )
        except CallErrorReply:
            raise
        except OCPPError as error:
            raise ocpp_library.call_error_for(call.message_id, error) from error
        except Exception as error:
            raise self._internal_error(call, "Handler failed") from error
        result = frames.CallResult(call.message_id, response)
        try:
            ocpp_library.validate_result(result, call.action, version)
            frame = frames.encode_result(result.message_id, result.payload)
        except (CallErrorReply, ValueError, TypeError) as invalid:
            raise self._internal_error(call, f"Invalid response: {invalid}") from invalid
        return frame

    def _handle_answer(self, answer: Answer, session: Session) -> None:
        """An answer gets no reply, whatever happens: on AWS an exception would reach the charge
        point as API Gateway's "Internal server error"."""
        try:
            self._services.call_answers.received(answer, session.charge_point_id, session.ocpp_version)
        except Exception:
            logger.exception("Answer could not be processed", extra={"message_id": answer.message_id})
            metrics.count(metric_names.ANSWERS_FAILED)

    def _internal_error(self, call: Call, what: str) -> CallErrorReply:
        logger.exception(what, extra={"message_id": call.message_id, "action": call.action})
        return CallErrorReply(
            call.message_id, ErrorCode.INTERNAL_ERROR, "An internal error occurred and the request was not processed"
        )


def build_dispatcher(services: Services) -> Dispatcher:
    """The dispatcher over every action handler of both versions (each version's registered on its first frame)."""
    return Dispatcher(registry, services)
