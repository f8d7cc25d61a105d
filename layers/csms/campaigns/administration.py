"""What the operator API does with campaigns: create one (the target read once, every fault a reason), list and
read them, pause, resume and cancel."""

from typing import Any
from uuid import uuid4

from csms.campaigns import rules
from csms.campaigns.models import Campaign, CampaignCharger, CampaignStatus, Counts, Target
from csms.campaigns.operations import Operation, parse_operation
from csms.campaigns.ports import CampaignRepository
from csms.campaigns.workflow_definition import execution_input, execution_name
from csms.commands.ports import WorkflowStarter
from csms.domain.file_store import FileStore
from csms.domain.models import ChargePoint
from csms.domain.pagination import Page
from csms.domain.ports import ChargePointRepository, Clock
from csms.domain.violations import InvalidValuesError
from csms.firmware.ports import FirmwareRepository
from csms.observability import logger


class UnknownCampaignError(LookupError):
    pass


class CampaignStatusError(Exception):
    """The action is not allowed in the campaign's status (pause a campaign that is not Running, say)."""

    def __init__(self, action: str, status: CampaignStatus) -> None:
        super().__init__(f"A {status.value} campaign cannot {action}")


class CampaignAdministration:
    def __init__(
        self,
        campaigns: CampaignRepository,
        charge_points: ChargePointRepository,
        workflows: WorkflowStarter,
        clock: Clock,
        images: FirmwareRepository,
        files: FileStore,
    ) -> None:
        self._campaigns = campaigns
        self._charge_points = charge_points
        self._workflows = workflows
        self._clock = clock
        self._images = images
        self._files = files

    def create(self, name: Any, target: Any, operation: Any, rollout: Any) -> Campaign:
        """Validate everything (raises `InvalidValuesError` with every reason), store, start its workflow."""
        reasons: list[str] = []
        parsed_name = _collect(reasons, rules.parse_name, name)
        parsed_target = _collect(reasons, rules.parse_target, target)
        parsed_rollout = _collect(reasons, rules.parse_rollout, rollout)
        parsed_operation = _collect(
            reasons,
            lambda raw: parse_operation(raw, parsed_target.ocpp_version if parsed_target else None, self._images),
            operation,
        )
        firmware = parsed_operation.firmware if parsed_operation else None
        if firmware is not None and not self._files.exists(firmware.image.key):
            reasons.append("operation.firmwareId: the image is not uploaded yet (PUT it to its uploadUrl)")
        if reasons:
            raise InvalidValuesError(reasons)
        assert parsed_name
        assert parsed_target
        assert parsed_rollout
        assert parsed_operation
        chosen = rules.resolve(parsed_target, self._candidates(parsed_target))
        _check_versions(parsed_operation, chosen)
        batches = rules.batch_numbers(len(chosen), parsed_rollout)
        now = self._clock.now()
        campaign = Campaign(
            campaign_id=uuid4().hex,
            name=parsed_name,
            target=target,
            operation=operation,
            rollout=parsed_rollout,
            status=CampaignStatus.RUNNING,
            created_at=now,
            updated_at=now,
            counts=Counts(total=len(chosen), pending=len(chosen)),
            batches=rules.batch_count(len(chosen), parsed_rollout),
        )
        chargers = [
            CampaignCharger(charge_point.charge_point_id, batch, ocpp_version=charge_point.ocpp_version)
            for charge_point, batch in zip(chosen, batches, strict=True)
        ]
        self._campaigns.create(campaign, chargers)
        self._start(campaign)
        return campaign

    def get(self, campaign_id: str) -> Campaign:
        campaign = self._campaigns.get(campaign_id)
        if campaign is None:
            raise UnknownCampaignError(campaign_id)
        return campaign

    def page(self, limit: int, next_token: str | None = None) -> Page[Campaign]:
        return self._campaigns.page(limit, next_token)

    def chargers(self, campaign_id: str, limit: int, next_token: str | None = None) -> Page[CampaignCharger]:
        self.get(campaign_id)
        return self._campaigns.chargers(campaign_id, limit, next_token)

    def pause(self, campaign_id: str) -> Campaign:
        return self._operator_change(campaign_id, "pause")

    def cancel(self, campaign_id: str) -> Campaign:
        return self._operator_change(campaign_id, "cancel")

    def resume(self, campaign_id: str) -> Campaign:
        """Running again; a new execution starts when the one that ran it ended at the pause."""
        restarted = self._campaigns.resume(campaign_id)
        if restarted is None:
            raise CampaignStatusError("resume", self.get(campaign_id).status)
        campaign = self.get(campaign_id)
        if restarted:
            self._start(campaign)
        logger.info("Campaign resumed", extra={"campaign_id": campaign_id, "new_execution": restarted})
        return campaign

    def _operator_change(self, campaign_id: str, action: str) -> Campaign:
        campaign = self.get(campaign_id)
        status = rules.operator_change(campaign.status, action)
        if status is None or not self._campaigns.change_status(campaign_id, frozenset({campaign.status}), status):
            raise CampaignStatusError(action, self.get(campaign_id).status)
        logger.info("Campaign changed", extra={"campaign_id": campaign_id, "status": status.value})
        return self.get(campaign_id)

    def _start(self, campaign: Campaign) -> None:
        self._workflows.start(
            execution_name(campaign.campaign_id, campaign.generation),
            execution_input(campaign.campaign_id, campaign.generation),
        )

    def _candidates(self, target: Target) -> list[ChargePoint]:
        """The charge points a target can take: those named, those of its site, or every one; their profiles
        read in batches, so that 10,000 chargers fit in the API's request (README "Campaigns")."""
        if target.charger_ids is not None:
            return self._charge_points.profiles_of(target.charger_ids)
        if target.site_id is not None:
            return self._charge_points.profiles_of(self._charge_points.ids_at_site(target.site_id))
        return self._charge_points.profiles_of()


def _collect(reasons: list[str], parse: Any, raw: Any) -> Any:
    try:
        return parse(raw)
    except InvalidValuesError as error:
        reasons.extend(error.reasons)
        return None


def _check_versions(operation: Operation, chosen: list[ChargePoint]) -> None:
    """Every targeted charger that has connected speaks a version the operation can be sent to."""
    reasons = []
    for version in sorted({cp.ocpp_version for cp in chosen if cp.ocpp_version is not None}, key=str):
        if version not in operation.versions:
            count = sum(1 for cp in chosen if cp.ocpp_version is version)
            reasons.append(
                f"target: {count} charger(s) speak OCPP {version.value}, which the operation cannot express "
                "(narrow the target with ocppVersion)"
            )
    if reasons:
        raise InvalidValuesError(reasons)
