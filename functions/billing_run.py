"""EventBridge Scheduler (every `billingRateMinutes`): invoices every completed session not invoiced yet."""

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from csms.observability import logger, metrics
from csms.services import get_services


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    run = get_services().billing.run()
    for skipped in run.skipped + run.failed:
        logger.warning(
            "Session not invoiced",
            extra={
                "charge_point_id": skipped.charge_point_id,
                "transaction_id": skipped.transaction_id,
                "reason": skipped.reason,
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
