"""The OpenAPI document is one to generate clients from: every operation tagged by resource, with a summary,
a description and a stable camelCase operationId, every request body with examples that are valid requests,
and `/api/health` marked open."""

import json
import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from csms.api.app import app

# The operationIds clients are generated with: changing one breaks them, so it fails here first.
OPERATION_IDS = {
    ("get", "/api/health"): "getHealth",
    ("get", "/api/files/{token}"): "getLinkedFile",
    ("put", "/api/files/{token}"): "putLinkedFile",
    ("get", "/api/me"): "getMe",
    ("get", "/api/overview"): "getOverview",
    ("get", "/api/chargers"): "listChargers",
    ("get", "/api/chargers/{charger_id}"): "getCharger",
    ("put", "/api/chargers/{charger_id}"): "registerCharger",
    ("delete", "/api/chargers/{charger_id}"): "deleteCharger",
    ("get", "/api/chargers/{charger_id}/local-list"): "getLocalList",
    ("get", "/api/chargers/{charger_id}/charging-profiles"): "listChargingProfiles",
    ("get", "/api/chargers/{charger_id}/composite-schedule"): "getCompositeSchedule",
    ("get", "/api/chargers/{charger_id}/notifications"): "listChargerNotifications",
    ("get", "/api/notifications"): "listNotifications",
    ("get", "/api/chargers/{charger_id}/commands"): "listChargerCommands",
    ("post", "/api/chargers/{charger_id}/commands"): "sendCommand",
    ("post", "/api/chargers/{charger_id}/start"): "startTransaction",
    ("post", "/api/chargers/{charger_id}/stop"): "stopTransaction",
    ("post", "/api/chargers/{charger_id}/reset"): "resetCharger",
    ("post", "/api/chargers/{charger_id}/unlock"): "unlockConnector",
    ("post", "/api/chargers/{charger_id}/availability"): "changeAvailability",
    ("post", "/api/chargers/{charger_id}/local-list"): "sendLocalList",
    ("get", "/api/commands"): "listCommands",
    ("get", "/api/commands/{command_id}"): "getCommand",
    ("get", "/api/ocpp/{version}/actions"): "listCommandActions",
    ("get", "/api/ocpp/{version}/actions/{action}/schema"): "getCommandSchema",
    ("get", "/api/id-tokens"): "listIdTokens",
    ("get", "/api/id-tokens/{id_token}"): "getIdToken",
    ("put", "/api/id-tokens/{id_token}"): "registerIdToken",
    ("delete", "/api/id-tokens/{id_token}"): "deleteIdToken",
    ("get", "/api/transactions"): "listTransactions",
    ("get", "/api/transactions/{transaction_id}"): "getTransaction",
    ("get", "/api/reservations"): "listReservations",
    ("get", "/api/security-events"): "listSecurityEvents",
    ("get", "/api/pki/ca"): "getCaCertificate",
    ("get", "/api/chargers/{charger_id}/certificates"): "listChargerCertificates",
    ("post", "/api/certificates/{serial}/revoke"): "revokeCertificate",
    ("get", "/api/chargers/{charger_id}/installed-certificates"): "listInstalledCertificates",
    ("post", "/api/chargers/{charger_id}/installed-certificates"): "installCertificate",
    ("delete", "/api/chargers/{charger_id}/installed-certificates"): "deleteInstalledCertificate",
    ("post", "/api/chargers/{charger_id}/logs"): "requestChargerLog",
    ("get", "/api/chargers/{charger_id}/logs"): "listChargerLogs",
    ("post", "/api/chargers/{charger_id}/password"): "rotateChargerPassword",
    ("post", "/api/chargers/{charger_id}/security-profile"): "upgradeSecurityProfile",
    ("get", "/api/chargers/{charger_id}/security-profile"): "getSecurityProfile",
    ("get", "/api/reservations/{charger_id}/{reservation_id}"): "getReservation",
    ("get", "/api/tariffs"): "listTariffs",
    ("get", "/api/tariffs/{tariff_id}"): "getTariff",
    ("put", "/api/tariffs/{tariff_id}"): "putTariff",
    ("get", "/api/sites"): "listSites",
    ("get", "/api/sites/{site_id}"): "getSite",
    ("put", "/api/sites/{site_id}"): "putSite",
    ("delete", "/api/sites/{site_id}"): "deleteSite",
    ("put", "/api/sites/{site_id}/limit"): "setSiteLimit",
    ("delete", "/api/sites/{site_id}/limit"): "endSiteLimit",
    ("get", "/api/sites/{site_id}/allocation"): "getSiteAllocation",
    ("get", "/api/sites/{site_id}/allocation/history"): "listSiteAllocationHistory",
    ("post", "/api/billing/runs"): "runBilling",
    ("get", "/api/invoices"): "listInvoices",
    ("get", "/api/invoices/{invoice_id}"): "getInvoice",
    ("get", "/api/invoices/export.csv"): "exportInvoices",
    ("get", "/api/users"): "listUsers",
    ("post", "/api/campaigns"): "createCampaign",
    ("get", "/api/campaigns"): "listCampaigns",
    ("get", "/api/campaigns/{campaign_id}"): "getCampaign",
    ("post", "/api/campaigns/{campaign_id}/pause"): "pauseCampaign",
    ("post", "/api/campaigns/{campaign_id}/resume"): "resumeCampaign",
    ("post", "/api/campaigns/{campaign_id}/cancel"): "cancelCampaign",
    ("post", "/api/firmware"): "registerFirmware",
    ("get", "/api/firmware"): "listFirmware",
    ("get", "/api/firmware/{firmware_id}"): "getFirmware",
    ("post", "/api/firmware/{firmware_id}/publish"): "publishFirmware",
    ("post", "/api/firmware/{firmware_id}/unpublish"): "unpublishFirmware",
    ("put", "/api/users/{username}"): "putUser",
    ("delete", "/api/users/{username}"): "deleteUser",
}
CAMEL_CASE = re.compile(r"^[a-z][a-zA-Z0-9]*$")
# Operations without a token: liveness, and short file links (their token in the path is the capability).
OPEN_PATHS = {"/api/health", "/api/files/{token}"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(app.get_openapi_json_schema())
    validate(parsed)
    return parsed


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, ops in document["paths"].items() for method, op in ops.items()]


def test_every_operation_has_its_stable_camel_case_operation_id(document: dict[str, Any]) -> None:
    found = {(method, path): op.get("operationId") for method, path, op in operations(document)}

    assert found == OPERATION_IDS
    assert all(CAMEL_CASE.match(operation_id) for operation_id in found.values())
    assert len(set(found.values())) == len(found)


def test_every_operation_has_a_resource_tag_a_summary_and_a_description(document: dict[str, Any]) -> None:
    declared = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    missing = []
    for method, path, op in operations(document):
        tags = op.get("tags") or []
        summary, description = op.get("summary", ""), op.get("description", "")
        if (
            len(tags) != 1
            or tags[0] not in declared
            or not summary
            or summary == f"{method.upper()} {path}"  # the generated default
            or summary.endswith(".")
            or len(description) < 20
        ):
            missing.append((method, path, tags, summary, description))
    assert missing == []
    assert all(len(description) >= 40 for description in declared.values()), declared


def test_the_billing_and_tariff_parts_are_described(document: dict[str, Any]) -> None:
    tags = {tag["name"]: tag["description"] for tag in document["tags"]}
    put_tariff = document["paths"]["/api/tariffs/{tariff_id}"]["put"]["description"]
    run_billing = document["paths"]["/api/billing/runs"]["post"]["description"]

    assert all(word in tags["Tariffs"] for word in ("default", "copy", "round"))
    assert all(word in tags["Billing"] for word in ("exactly once", "invoice", "decimal string"))
    assert "pricePerKwh" in put_tariff
    assert "schedule" in run_billing


def test_every_request_body_has_examples_valid_against_its_schema(document: dict[str, Any]) -> None:
    bodies = [(method, path, op["requestBody"]) for method, path, op in operations(document) if "requestBody" in op]
    assert len(bodies) >= 10
    for method, path, body in bodies:
        content = body["content"]["application/json"]
        validator = Draft202012Validator({"components": document["components"], **content["schema"]})
        assert content.get("examples"), (method, path)
        for name, example in content["examples"].items():
            assert example.get("summary"), (method, path, name)
            assert list(validator.iter_errors(example["value"])) == [], (method, path, name)


def test_health_and_file_links_are_open_and_everything_else_needs_the_bearer_token(document: dict[str, Any]) -> None:
    assert document["security"] == [{"bearer": []}]
    for method, path, op in operations(document):
        expected = [] if path in OPEN_PATHS else None  # None: the document's own security
        assert op.get("security") == expected, (method, path)


ROLE_OF = {
    ("get", "/api/me"): None,
    ("get", "/api/chargers"): "viewers",
    ("post", "/api/chargers/{charger_id}/start"): "operators",
    ("post", "/api/billing/runs"): "operators",
    ("put", "/api/chargers/{charger_id}"): "admins",
    ("get", "/api/users"): "admins",
}


def test_every_operation_that_needs_a_token_says_which_role_and_documents_401_and_403(
    document: dict[str, Any],
) -> None:
    for method, path, op in operations(document):
        if path in OPEN_PATHS:
            assert "x-required-role" not in op
            assert {"401", "403"}.isdisjoint(op["responses"])
            continue
        role = op.get("x-required-role")
        assert "401" in op["responses"], (method, path)
        assert ("403" in op["responses"]) is (role is not None), (method, path)
        assert op["description"].endswith(f"Needs role `{role}` or higher." if role else "whatever its role."), path
    for (method, path), role in ROLE_OF.items():
        assert document["paths"][path][method].get("x-required-role") == role, (method, path)
