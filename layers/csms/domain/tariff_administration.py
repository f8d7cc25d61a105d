"""The operator's tariffs: creating and reading them, and the check that a tariff referred to exists."""

from csms.domain.pagination import Page
from csms.domain.ports import TariffRepository
from csms.domain.tariffs import Tariff
from csms.domain.violations import RuleViolationError

MAX_TARIFF_ID_LENGTH = 64


class TariffAdministration:
    def __init__(self, tariffs: TariffRepository) -> None:
        self._tariffs = tariffs

    def put(self, tariff: Tariff) -> Tariff:
        """Create or replace a tariff; sessions already started keep the copy they started with."""
        if not 0 < len(tariff.tariff_id) <= MAX_TARIFF_ID_LENGTH:
            raise RuleViolationError(f"A tariff id is 1 to {MAX_TARIFF_ID_LENGTH} characters")
        if tariff.min_price is not None and tariff.max_price is not None and tariff.min_price > tariff.max_price:
            raise RuleViolationError("minPrice must not exceed maxPrice")
        self._tariffs.put(tariff)
        return tariff

    def get(self, tariff_id: str) -> Tariff | None:
        return self._tariffs.get(tariff_id)

    def page(self, limit: int, next_token: str | None = None) -> Page[Tariff]:
        """In no particular order; raises `InvalidPageTokenError`."""
        return self._tariffs.page(limit, next_token)

    def require(self, tariff_id: str | None) -> None:
        """For what refers to a tariff (a charge point, an id token): None, or a tariff that exists."""
        if tariff_id is not None and self._tariffs.get(tariff_id) is None:
            raise RuleViolationError(f"No tariff {tariff_id}: create it first (PUT /api/tariffs/{tariff_id})")
