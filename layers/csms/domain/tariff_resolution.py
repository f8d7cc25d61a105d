"""Which tariff prices a session: the id token's, its group's, the charge point's, else the default."""

from csms.domain.ports import ChargePointRepository, IdTokenRepository, TariffRepository
from csms.domain.tariffs import Tariff

DEFAULT_TARIFF_ID = "default"


class TariffResolver:
    def __init__(
        self, tariffs: TariffRepository, id_tokens: IdTokenRepository, charge_points: ChargePointRepository
    ) -> None:
        self._tariffs = tariffs
        self._id_tokens = id_tokens
        self._charge_points = charge_points

    def resolve(self, charge_point_id: str, id_token: str | None) -> Tariff | None:
        """The tariff in force now for a session of `id_token` on the charge point; None: no tariff at all.

        A tariff id that names no tariff (deleted, mistyped) is passed over, not fatal: the next
        one in the order applies.
        """
        for tariff_id in self._candidates(charge_point_id, id_token):
            tariff = self._tariffs.get(tariff_id)
            if tariff is not None:
                return tariff
        return None

    def _candidates(self, charge_point_id: str, id_token: str | None) -> list[str]:
        candidates: list[str] = []
        token = self._id_tokens.get(id_token) if id_token else None
        if token is not None:
            if token.tariff_id:
                candidates.append(token.tariff_id)
            parent = self._id_tokens.get(token.parent_id) if token.parent_id else None
            if parent is not None and parent.tariff_id:
                candidates.append(parent.tariff_id)
        # Its profile alone: every session start asks, and the whole charge point (connectors and all) costs more.
        for charge_point in self._charge_points.profiles_of([charge_point_id]):
            if charge_point.tariff_id:
                candidates.append(charge_point.tariff_id)
        candidates.append(DEFAULT_TARIFF_ID)
        return candidates
