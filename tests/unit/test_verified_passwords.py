"""A password that matched is not hashed again for the same stored hash; nothing else is remembered."""

from collections.abc import Callable

import pytest

from csms.domain import identity, verified_passwords
from csms.domain.verified_passwords import VerifiedPasswords


@pytest.fixture
def scrypt_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each full check the cache makes (the real check runs; this only counts)."""
    checks: list[str] = []
    real: Callable[[str, str | None], bool] = identity.verify_password

    def counted(password: str, stored_hash: str | None) -> bool:
        checks.append(password)
        return real(password, stored_hash)

    monkeypatch.setattr(verified_passwords, "verify_password", counted)
    return checks


HASH = identity.hash_password("correct-horse-battery")


def test_a_matching_password_is_checked_in_full_once(scrypt_checks: list[str]) -> None:
    passwords = VerifiedPasswords()
    assert [passwords.verify("correct-horse-battery", HASH) for _ in range(3)] == [True, True, True]
    assert scrypt_checks == ["correct-horse-battery"]


def test_a_wrong_password_costs_a_full_check_every_time(scrypt_checks: list[str]) -> None:
    passwords = VerifiedPasswords()
    assert [passwords.verify("wrong", HASH) for _ in range(2)] == [False, False]
    assert passwords.verify("correct-horse-battery", HASH)
    assert scrypt_checks == ["wrong", "wrong", "correct-horse-battery"]


def test_a_new_hash_for_the_same_password_is_checked_again_and_the_old_one_is_refused(
    scrypt_checks: list[str],
) -> None:
    passwords = VerifiedPasswords()
    assert passwords.verify("correct-horse-battery", HASH)
    changed = identity.hash_password("new-password-of-length")
    assert not passwords.verify("correct-horse-battery", changed)
    assert passwords.verify("new-password-of-length", changed)
    assert len(scrypt_checks) == 3


def test_no_stored_hash_never_matches(scrypt_checks: list[str]) -> None:
    passwords = VerifiedPasswords()
    assert not passwords.verify("", None)
    assert not passwords.verify("", None)
    assert len(scrypt_checks) == 2


def test_the_least_recently_used_are_forgotten_beyond_capacity(scrypt_checks: list[str]) -> None:
    passwords = VerifiedPasswords(capacity=2)
    hashes = {name: identity.hash_password(name) for name in ("first-password", "second-password", "third-password")}
    for name, stored in hashes.items():
        assert passwords.verify(name, stored)
    assert passwords.verify("third-password", hashes["third-password"])  # remembered
    assert passwords.verify("first-password", hashes["first-password"])  # forgotten: checked again
    assert scrypt_checks == ["first-password", "second-password", "third-password", "first-password"]


def test_a_hash_made_here_admits_its_password_without_a_check(scrypt_checks: list[str]) -> None:
    passwords = VerifiedPasswords()
    stored = passwords.hashed("rotated-in-password-1234")
    assert identity.verify_password("rotated-in-password-1234", stored)  # a real hash of it, not a marker
    assert passwords.verify("rotated-in-password-1234", stored)
    assert scrypt_checks == []


def test_a_hash_made_here_remembers_only_that_password_for_that_hash(scrypt_checks: list[str]) -> None:
    passwords = VerifiedPasswords()
    stored = passwords.hashed("rotated-in-password-1234")
    assert not passwords.verify("rotated-in-password-1235", stored)
    assert passwords.verify("rotated-in-password-1234", identity.hash_password("rotated-in-password-1234"))
    assert scrypt_checks == ["rotated-in-password-1235", "rotated-in-password-1234"]
