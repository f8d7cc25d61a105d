"""Commands in DynamoDB: one item per command, listed newest first per charge point and fleet-wide by indexes."""

from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Attr, Key

from csms.adapters.dynamodb.codec import encode, from_json_value, get_all, integer, item, json_value, timestamp
from csms.adapters.dynamodb.paging import read_page, read_page_merged
from csms.commands.models import Command, CommandError, CommandStatus, FollowUp, FollowUpKind
from csms.domain.pagination import Page
from csms.tables import COMMANDS, COMMANDS_BY_CHARGE_POINT_INDEX, COMMANDS_BY_VERSION_INDEX
from csms.wire.versions import OcppVersion


class DynamoDbCommandRepository:
    def __init__(self, table: Any) -> None:
        self._table = table

    def create(self, command: Command) -> None:
        follow_up = command.follow_up
        self._table.put_item(
            Item=item(
                commandId=command.command_id,
                chargePointId=command.charge_point_id,
                ocppVersion=command.ocpp_version.value,
                action=command.action,
                request=json_value(command.request),
                status=command.status.value,
                createdAt=command.created_at,
                followUp={"kind": follow_up.kind.value, "timeoutSeconds": follow_up.timeout_seconds}
                if follow_up
                else None,
                ticket=command.ticket,
            ),
            ConditionExpression="attribute_not_exists(commandId)",
        )

    def get(self, command_id: str) -> Command | None:
        entry = self._table.get_item(Key={"commandId": command_id}, ConsistentRead=True).get("Item")
        return _command(entry) if entry else None

    def list_for_charge_point(self, charge_point_id: str, limit: int, next_token: str | None = None) -> Page[Command]:
        page = read_page(
            self._table.query,
            COMMANDS,
            limit,
            next_token,
            IndexName=COMMANDS_BY_CHARGE_POINT_INDEX,
            KeyConditionExpression=Key("chargePointId").eq(charge_point_id),
            ScanIndexForward=False,
        )
        return Page([_command(entry) for entry in page.items], page.next_token)

    def list_all(self, limit: int, next_token: str | None = None) -> Page[Command]:
        """The keys-only index `byVersion`, each version's partition merged newest first, then the
        page's commands read (BatchGetItem)."""
        requests = [
            {
                "IndexName": COMMANDS_BY_VERSION_INDEX,
                "KeyConditionExpression": Key("ocppVersion").eq(version.value),
                "ScanIndexForward": False,
            }
            for version in OcppVersion
        ]
        keys = read_page_merged(self._table.query, COMMANDS, requests, limit, next_token)
        entries = {
            entry["commandId"]: entry
            for entry in get_all(self._table, [{"commandId": key["commandId"]} for key in keys.items])
        }
        return Page([_command(entries[key["commandId"]]) for key in keys.items], keys.next_token)

    def list_unfinished(self) -> list[Command]:
        scan: dict[str, Any] = {"FilterExpression": Attr("finishedAt").not_exists(), "ConsistentRead": True}
        unfinished: list[Command] = []
        while True:
            response = self._table.scan(**scan)
            unfinished.extend(_command(entry) for entry in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return sorted(unfinished, key=lambda command: (command.created_at, command.command_id))
            scan["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def set_execution(self, command_id: str, execution_arn: str) -> None:
        self._set(command_id, executionArn=execution_arn)

    def mark_sent(self, command_id: str, message_id: str, connection_id: str, at: datetime) -> None:
        self._set(
            command_id, status=CommandStatus.SENT.value, messageId=message_id, connectionId=connection_id, sentAt=at
        )

    def record_answer(
        self, command_id: str, status: CommandStatus, response: dict[str, Any], at: datetime, finished: bool
    ) -> None:
        self._set(
            command_id,
            status=status.value,
            response=json_value(response),
            answeredAt=at,
            finishedAt=at if finished else None,
        )

    def record_failure(
        self,
        command_id: str,
        status: CommandStatus,
        error: CommandError,
        at: datetime,
        answered_at: datetime | None = None,
    ) -> None:
        self._set(
            command_id,
            status=status.value,
            error={"code": error.code, "description": error.description},
            answeredAt=answered_at,
            finishedAt=at,
        )

    def record_result(self, command_id: str, result: dict[str, Any], at: datetime) -> None:
        self._set(command_id, result=json_value(result), finishedAt=at)

    def _set(self, command_id: str, **attributes: Any) -> None:
        """Set the attributes given (None: left as they are) of an existing command."""
        present = {name: encode(value) for name, value in attributes.items() if value is not None}
        self._table.update_item(
            Key={"commandId": command_id},
            UpdateExpression="SET " + ", ".join(f"#{name} = :{name}" for name in present),
            ConditionExpression="attribute_exists(commandId)",
            ExpressionAttributeNames={f"#{name}": name for name in present},
            ExpressionAttributeValues={f":{name}": value for name, value in present.items()},
        )


def _command(entry: dict[str, Any]) -> Command:
    follow_up = entry.get("followUp")
    error = entry.get("error")
    created_at = timestamp(entry["createdAt"])
    assert created_at is not None
    return Command(
        command_id=entry["commandId"],
        charge_point_id=entry["chargePointId"],
        ocpp_version=OcppVersion(entry["ocppVersion"]),
        action=entry["action"],
        request=from_json_value(entry["request"]),
        status=CommandStatus(entry["status"]),
        created_at=created_at,
        follow_up=FollowUp(FollowUpKind(follow_up["kind"]), int(follow_up["timeoutSeconds"])) if follow_up else None,
        execution_arn=entry.get("executionArn"),
        message_id=entry.get("messageId"),
        connection_id=entry.get("connectionId"),
        sent_at=timestamp(entry.get("sentAt")),
        answered_at=timestamp(entry.get("answeredAt")),
        finished_at=timestamp(entry.get("finishedAt")),
        response=from_json_value(entry["response"]) if "response" in entry else None,
        error=CommandError(error["code"], error["description"]) if error else None,
        result=from_json_value(entry["result"]) if "result" in entry else None,
        ticket=integer(entry.get("ticket")),
    )
