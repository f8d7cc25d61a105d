"""The scheduled runs (EventBridge Scheduler): each logs what it could not do and reports what it did.

The schedule's event carries nothing a run needs; the report is the function's result, which the
Lambda console and `csms local` show.
"""

from typing import Any

from csms.composition import get_services
from csms.observability import logger


def run_billing() -> dict[str, Any]:
    """Invoice every completed session not invoiced yet: the invoice ids, and the sessions skipped or failed."""
    run = get_services().billing.run()
    for uninvoiced in run.skipped + run.failed:
        logger.warning(
            "Session not invoiced",
            extra={
                "charge_point_id": uninvoiced.charge_point_id,
                "transaction_id": uninvoiced.transaction_id,
                "reason": uninvoiced.reason,
            },
        )
    logger.info(
        "Billing run", extra={"invoiced": len(run.invoiced), "skipped": len(run.skipped), "failed": len(run.failed)}
    )
    return {
        "invoiced": run.invoiced,
        "skipped": [skipped.transaction_id for skipped in run.skipped],
        "failed": [failed.transaction_id for failed in run.failed],
    }


def send_cost_updates() -> dict[str, Any]:
    """OCPP 2.0.1 CostUpdated to every long-running session: the updates sent, and the sessions failed."""
    run = get_services().cost_updates.run()
    for failed in run.failed:
        logger.warning(
            "CostUpdated not sent",
            extra={
                "charge_point_id": failed.charge_point_id,
                "transaction_id": failed.transaction_id,
                "reason": failed.reason,
            },
        )
    logger.info("Cost updates", extra={"sent": len(run.sent), "failed": len(run.failed)})
    return {
        "sent": [
            {
                "chargePointId": update.charge_point_id,
                "transactionId": update.transaction_id,
                "totalCost": str(update.total_cost),
                "commandId": update.command_id,
            }
            for update in run.sent
        ],
        "failed": [
            {"chargePointId": failed.charge_point_id, "transactionId": failed.transaction_id} for failed in run.failed
        ],
    }


def run_site_tick() -> dict[str, Any]:
    """Rebalance the sites whose planning limit changed or whose sessions are to be retried: those sites."""
    run = get_services().site_tick.run()
    logger.info("Site tick", extra={"requested": run.requested, "failed": run.failed})
    return {"requested": run.requested, "failed": run.failed}


def renew_certificates() -> dict[str, Any]:
    """Ask chargers whose certificate expires within the renewal window for a new one; mark the expired ones."""
    run = get_services().certificate_renewal.run()
    logger.info("Certificate renewal", extra={"asked": len(run.asked), "expired": len(run.expired)})
    return {
        "asked": [
            {"serial": asked.serial, "chargePointId": asked.charge_point_id, "commandId": asked.command_id}
            for asked in run.asked
        ],
        "expired": run.expired,
    }
