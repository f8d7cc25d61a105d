"""The operator API's request models."""

from ocpp.v201 import enums

from csms.api.models import IdTokenEnumType


def test_the_id_token_types_are_those_of_ocpp_201() -> None:
    assert [(member.name, member.value) for member in IdTokenEnumType] == [
        (member.name, member.value) for member in enums.IdTokenEnumType
    ]
    assert IdTokenEnumType.__doc__ == enums.IdTokenEnumType.__doc__.strip()  # the OpenAPI description
