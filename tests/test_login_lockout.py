"""The admin login locks an account, and a client address, after repeated failures."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"


@pytest.fixture
def curator():
    return get_user_model().objects.create_user(
        "curator", password=PASSWORD, is_staff=True, is_superuser=True
    )


def _sign_in(client: Client, username: str, password: str, *, language: str = "en", **extra):
    return client.post(
        f"/{language}/admin/login/?next=/{language}/admin/",
        {"username": username, "password": password},
        **extra,
    )


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("language", ["en", "fa"])
def test_many_wrong_passwords_lock_the_account_even_for_the_right_one(curator, language, caplog):
    client = Client()
    for _ in range(60):
        assert _sign_in(client, "curator", "wrong", language=language).status_code == 200
    with caplog.at_level(logging.WARNING, logger="newsarchive.security"):
        response = _sign_in(client, "curator", PASSWORD, language=language)
    assert response.status_code == 200 and not _signed_in(client)
    page = response.content.decode()
    expected = "Too many failed sign-in attempts" if language == "en" else "تلاش ناموفق"
    assert expected in page
    assert any("curator" in record.getMessage() for record in caplog.records)


def test_the_account_stays_locked_from_another_address(curator, settings):
    settings.NEWSARCHIVE_LOGIN_CLIENT_ATTEMPTS = 1000
    for _ in range(5):
        _sign_in(Client(), "Curator", "wrong", REMOTE_ADDR="198.51.100.1")
    client = Client()
    _sign_in(client, "curator", PASSWORD, REMOTE_ADDR="198.51.100.2")
    assert not _signed_in(client)


def test_one_address_guessing_many_accounts_is_locked_out(curator, settings):
    settings.NEWSARCHIVE_LOGIN_ACCOUNT_ATTEMPTS = 1000
    for n in range(20):
        _sign_in(Client(), f"guess{n}", "wrong", REMOTE_ADDR="198.51.100.7")
    client = Client()
    _sign_in(client, "curator", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert not _signed_in(client)
    other = Client()
    _sign_in(other, "curator", PASSWORD, REMOTE_ADDR="198.51.100.8")
    assert _signed_in(other)


def test_a_successful_sign_in_clears_the_accounts_failures(curator):
    for _ in range(4):
        _sign_in(Client(), "curator", "wrong")
    client = Client()
    _sign_in(client, "curator", PASSWORD)
    assert _signed_in(client)
    for _ in range(4):
        _sign_in(Client(), "curator", "wrong")
    later = Client()
    _sign_in(later, "curator", PASSWORD)
    assert _signed_in(later)
