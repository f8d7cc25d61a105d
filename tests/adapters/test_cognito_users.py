"""What only Cognito's user directory does: the stack's user pool signs people in with their e-mail address."""

from typing import Any

import boto3
import pytest

from csms.adapters.cognito_users import CognitoUserDirectory, create_user_pool
from csms.domain.violations import RuleViolationError


@pytest.fixture
def directory(aws: Any) -> CognitoUserDirectory:
    return CognitoUserDirectory(create_user_pool(boto3.client("cognito-idp"), "adapter-tests"))


def test_a_username_that_is_no_email_address_is_refused_with_cognitos_reason(directory: CognitoUserDirectory) -> None:
    with pytest.raises(RuleViolationError, match=r"Cognito refused user alice: .*email"):
        directory.create("alice", "alice@example.com")


def test_a_user_created_under_its_address_is_kept_under_an_id_of_cognitos(directory: CognitoUserDirectory) -> None:
    created = directory.create("erin@example.com", "erin@example.com")

    assert created is not None
    assert created.username != "erin@example.com"
    assert [user.username for user in directory.page(10, None).items] == [created.username]
