"""Campaigns whose execution stopped with `csms local`, taken up again when it starts.

On AWS a campaign's execution outlives any restart. `csms local` keeps its tables in its data directory, but not
moto's Step Functions executions nor the steps queue: at its start, every active campaign (one an execution should
be running: Running, or Paused or Halted with chargers still running) is one whose execution is gone. Each is handed
over to the next generation's execution, as an execution near its history limit hands over
(`CampaignWorkflow.hand_over`), which goes on from the campaign's stored batch and chargers: those whose commands
were cut short are settled by the commands' own recovery (`csms.commands.recovery`, run first), those not
connected yet wait for their charger as usual.
"""

from csms.campaigns.ports import CampaignRepository
from csms.campaigns.workflow import CampaignWorkflow
from csms.observability import logger


class CampaignRecovery:
    def __init__(self, campaigns: CampaignRepository, workflow: CampaignWorkflow) -> None:
        self._campaigns = campaigns
        self._workflow = workflow

    def recover(self) -> None:
        """Take up every active campaign; one that cannot be is logged, and the others still are."""
        taken_up = 0
        for campaign in self._campaigns.active():
            try:
                self._workflow.hand_over(campaign.campaign_id, campaign.generation)
                taken_up += 1
            except Exception:
                logger.exception("Campaign not taken up after a restart", extra={"campaign_id": campaign.campaign_id})
        if taken_up:
            logger.info("Campaigns taken up after a restart", extra={"campaigns": taken_up})
