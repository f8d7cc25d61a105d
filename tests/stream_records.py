"""DynamoDB stream records as Lambda hands them to the stream function, for the tables of `tests.conftest`."""

from typing import Any

from boto3.dynamodb.types import TypeSerializer

from csms import tables


def stream_arn(spec: tables.TableSpec) -> str:
    return f"arn:aws:dynamodb:us-east-1:123456789012:table/test-{spec.logical_name}/stream/2026-01-01T00:00:00.000"


def stream_record(
    spec: tables.TableSpec, sequence: str, old: dict[str, Any], new: dict[str, Any], created: int | None = None
) -> dict[str, Any]:
    """A record of `spec`'s stream (`created`: its `ApproximateCreationDateTime`, epoch seconds)."""
    serializer = TypeSerializer()
    dynamodb: dict[str, Any] = {"SequenceNumber": sequence, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if created is not None:
        dynamodb["ApproximateCreationDateTime"] = created
    if new:
        dynamodb["NewImage"] = {name: serializer.serialize(value) for name, value in new.items()}
    if old:
        dynamodb["OldImage"] = {name: serializer.serialize(value) for name, value in old.items()}
    return {
        "eventID": sequence,
        "eventName": "MODIFY" if old and new else ("INSERT" if new else "REMOVE"),
        "eventSource": "aws:dynamodb",
        "eventSourceARN": stream_arn(spec),
        "awsRegion": "us-east-1",
        "dynamodb": dynamodb,
    }
