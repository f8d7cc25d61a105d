"""/api/chargers: registering charge points and reading their state."""

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError

from csms.api.models import Charger, ChargerRegistration
from csms.domain.identity import hash_password, is_valid_charge_point_id
from csms.services import get_services

router = Router()


@router.put("/api/chargers/<charger_id>")
def register_charger(charger_id: str, registration: ChargerRegistration) -> Charger:
    """Register a charge point or update it (a password given replaces the old one)."""
    services = get_services()
    if not is_valid_charge_point_id(charger_id):
        raise BadRequestError("A charge point id is 1 to 48 characters, without '/'")
    repository = services.repositories.charge_points
    if registration.password is None and not services.settings.accept_unknown_charge_points:
        _, password_hash = repository.get_password_hash(charger_id)
        if password_hash is None:
            raise BadRequestError("A password is required: this deployment does not accept unknown charge points")
    password_hash = hash_password(registration.password) if registration.password is not None else None
    repository.register(charger_id, password_hash, services.clock.now())
    return _charger(charger_id)


@router.get("/api/chargers")
def list_chargers() -> list[Charger]:
    return [Charger.of(charge_point) for charge_point in get_services().repositories.charge_points.list()]


@router.get("/api/chargers/<charger_id>")
def get_charger(charger_id: str) -> Charger:
    return _charger(charger_id)


def _charger(charger_id: str) -> Charger:
    charge_point = get_services().repositories.charge_points.get(charger_id)
    if charge_point is None:
        raise NotFoundError(f"No charge point {charger_id}")
    return Charger.of(charge_point)
