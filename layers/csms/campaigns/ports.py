"""What campaigns store: one record per campaign (status, counts, which batch runs, which execution runs it) and one
per charger in it, so that a campaign of 10,000 chargers is 10,001 small items, not one huge one.

Every change is conditional: a charger's state moves only from the state the caller saw (and the campaign's counts
move with it, atomically), and the status only from the statuses the caller names. An operator pausing or
cancelling while the workflow settles a batch never loses either write.
"""

from collections.abc import Sequence
from typing import Protocol

from csms.campaigns.models import Campaign, CampaignCharger, CampaignStatus, ChargerState
from csms.domain.pagination import Page


class CampaignRepository(Protocol):
    def create(self, campaign: Campaign, chargers: Sequence[CampaignCharger]) -> None: ...

    def get(self, campaign_id: str) -> Campaign | None: ...

    def page(self, limit: int, next_token: str | None = None) -> Page[Campaign]:
        """Newest first; raises `InvalidPageTokenError` for a token no listing returned."""

    def chargers(self, campaign_id: str, limit: int, next_token: str | None = None) -> Page[CampaignCharger]:
        """Its chargers by batch, then id; raises `InvalidPageTokenError`."""

    def batch(self, campaign_id: str, batch: int) -> list[CampaignCharger]:
        """The chargers of one batch, by id."""

    def update_charger(self, campaign_id: str, charger: CampaignCharger, seen: ChargerState) -> bool:
        """Store `charger` if its state is still `seen`, moving the campaign's counts from `seen` to its state;
        False (nothing written) if it is not."""

    def change_status(
        self, campaign_id: str, seen: frozenset[CampaignStatus], status: CampaignStatus, reason: str | None = None
    ) -> bool:
        """Set `status` if the status is one of `seen`."""

    def resume(self, campaign_id: str) -> bool | None:
        """Paused -> Running. True: no execution ran it any more, and it is now active under the next generation
        (the caller starts that execution); False: its execution still runs it; None: it was not Paused."""

    def next_batch(self, campaign_id: str, batch: int) -> bool:
        """Move on from `batch` to the next, if `batch` is still the one running."""

    def hand_over(self, campaign_id: str, generation: int) -> bool:
        """The execution of `generation` leaves the campaign to the next generation's."""

    def deactivate(self, campaign_id: str, generation: int) -> bool:
        """The execution of `generation` ends, if the campaign is still its own and not Running."""

    def active(self) -> list[Campaign]:
        """The campaigns an execution should be running (`active`: Running, or Paused or halted with chargers
        still running), oldest first; read from a list of the active ones alone, not from every campaign."""
