"""The `CallRepository` contract: calls to charge points pending an answer, and the first answer to each."""

from datetime import UTC, datetime, timedelta

from csms.commands.models import CallAnswer, CommandError, PendingCall
from csms.commands.ports import CallRepository

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(seconds=1)


def pending(message_id: str = "m-1", charge_point_id: str = "CP-1", command_id: str = "cmd-1") -> PendingCall:
    return PendingCall(charge_point_id, message_id, "Reset", command_id, f"token-{message_id}", T0, ticket=7)


def test_the_first_answer_claims_the_pending_call(calls: CallRepository) -> None:
    calls.put_pending(pending())

    claimed = calls.claim_answer("CP-1", "m-1", LATER, payload={"status": "Accepted", "ratio": 0.5, "n": 3})

    assert claimed == pending()
    assert calls.answer("CP-1", "m-1") == CallAnswer(LATER, response={"status": "Accepted", "ratio": 0.5, "n": 3})


def test_a_callerror_is_an_answer_too(calls: CallRepository) -> None:
    calls.put_pending(pending())
    error = {"errorCode": "NotSupported", "errorDescription": "no", "errorDetails": {}}

    assert calls.claim_answer("CP-1", "m-1", LATER, error=error) == pending()

    assert calls.answer("CP-1", "m-1") == CallAnswer(LATER, error=CommandError("NotSupported", "no"))


def test_a_repeated_answer_claims_nothing_and_the_first_stands(calls: CallRepository) -> None:
    calls.put_pending(pending())
    calls.claim_answer("CP-1", "m-1", LATER, payload={"status": "Accepted"})

    again = calls.claim_answer("CP-1", "m-1", LATER + timedelta(seconds=1), payload={"status": "Rejected"})
    error = calls.claim_answer("CP-1", "m-1", LATER, error={"errorCode": "InternalError", "errorDescription": ""})

    assert (again, error) == (None, None)
    assert calls.answer("CP-1", "m-1") == CallAnswer(LATER, response={"status": "Accepted"})


def test_an_answer_to_no_pending_call_claims_nothing_and_is_not_kept(calls: CallRepository) -> None:
    calls.put_pending(pending("m-1"))

    assert calls.claim_answer("CP-1", "nobody-asked", T0, payload={"status": "Accepted"}) is None
    assert calls.claim_answer("CP-2", "m-1", T0, payload={"status": "Accepted"}) is None  # another charge point's

    assert calls.answer("CP-1", "nobody-asked") is None
    assert calls.answer("CP-2", "m-1") is None
    assert calls.answer("CP-1", "m-1") is None
    assert calls.claim_answer("CP-1", "m-1", T0, payload={}) == pending("m-1")


def test_an_unanswered_call_has_no_answer(calls: CallRepository) -> None:
    calls.put_pending(pending())

    assert calls.answer("CP-1", "m-1") is None


def test_each_call_is_answered_on_its_own(calls: CallRepository) -> None:
    calls.put_pending(pending("m-1"))
    calls.put_pending(pending("m-2", command_id="cmd-2"))

    calls.claim_answer("CP-1", "m-2", LATER, payload={"status": "Rejected"})

    assert calls.answer("CP-1", "m-1") is None
    assert calls.claim_answer("CP-1", "m-1", LATER, payload={"status": "Accepted"}) == pending("m-1")
    assert calls.answer("CP-1", "m-2") == CallAnswer(LATER, response={"status": "Rejected"})
