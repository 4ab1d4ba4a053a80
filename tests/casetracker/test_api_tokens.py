"""API tokens (DESIGN §4, issue #4 item 4): they act as their user, are shown once, stored
hashed, expire and can be revoked; created in the admin or with ``create_api_token``."""

import datetime
import hashlib
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from casetracker.api.tokens import api_token_create, api_token_revoke
from casetracker.models import ApiToken
from tests import factories as f
from tests.test_admin import login

DETENTIONS = "/api/v1/detentions/"
KEY = re.compile(r"ct_[0-9a-f]{8}_[A-Za-z0-9_-]+")


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def detention(world):
    return f.DetentionFactory(case=world.case)


@pytest.fixture
def key(world) -> str:
    return api_token_create(acting_user=world.lawyer, user=world.lawyer, name="laptop")[1]


def test_a_bearer_token_acts_as_its_user(world, detention, key):
    response = bearer(key).get(DETENTIONS)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(detention.pk)]
    token = ApiToken.objects.get()
    assert token.last_used_at is not None


def test_the_token_keyword_works_too(world, detention, key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(DETENTIONS).status_code == 200


def test_a_token_sees_only_what_its_user_sees(world, detention):
    other = api_token_create(
        acting_user=world.other_caseworker, user=world.other_caseworker, name="script"
    )[1]
    client = bearer(other)

    assert client.get(DETENTIONS).json()["results"] == []
    assert client.get(f"{DETENTIONS}{detention.pk}/").status_code == 404


def test_the_database_holds_only_the_hash(world, key):
    token = ApiToken.objects.get()

    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    secret = key[len("ct_") + 9 :]
    assert not [name for name, value in stored.items() if secret in str(value)]


def test_an_expired_token_is_a_401(world, key):
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = bearer(key).get(DETENTIONS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_revoked_token_is_a_401(world, key):
    api_token_revoke(acting_user=world.lawyer, token=ApiToken.objects.get())

    assert bearer(key).get(DETENTIONS).status_code == 401


def test_a_disabled_users_token_is_a_401(world, key):
    world.lawyer.is_active = False
    world.lawyer.save()

    assert bearer(key).get(DETENTIONS).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer two words",
        "Bearer not-a-token",
        "Bearer ct_",
        "Bearer ct_deadbeef_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG",  # unknown prefix
        "Bearer ct_\u00e9\u00e9_x",
    ],
)
def test_a_malformed_or_unknown_token_is_a_401(world, key, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(DETENTIONS)

    assert response.status_code == 401
    assert "token" in response.json()["detail"].lower()


def test_the_right_prefix_with_the_wrong_secret_is_a_401(world, key):
    forged = key[: len("ct_") + 9] + "A" * 43

    assert bearer(forged).get(DETENTIONS).status_code == 401


def test_nobody_creates_or_revokes_tokens_for_someone_else(world, key):
    with pytest.raises(PermissionDenied):
        api_token_create(acting_user=world.caseworker, user=world.lawyer, name="x")
    with pytest.raises(PermissionDenied):
        api_token_revoke(acting_user=world.caseworker, token=ApiToken.objects.get())


# --- the command ------------------------------------------------------------------------


def test_the_command_prints_a_working_key_once(world, detention):
    out, err = io.StringIO(), io.StringIO()

    call_command("create_api_token", "lawyer", "--expires-days", "7", stdout=out, stderr=err)

    key = out.getvalue().strip()
    assert KEY.fullmatch(key)
    assert key not in err.getvalue() and "shown only now" in err.getvalue()
    token = ApiToken.objects.get()
    assert token.user == world.lawyer
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=7))) < (
        datetime.timedelta(minutes=1)
    )
    assert bearer(key).get(DETENTIONS).status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "No active user 'nobody'."),
        (["lawyer", "--expires-days", "0"], "A token lives from 1 to 366 days."),
        (["lawyer", "--expires-days", "367"], "A token lives from 1 to 366 days."),
    ],
)
def test_the_command_fails_clearly(world, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("create_api_token", *args, stdout=io.StringIO(), stderr=io.StringIO())

    assert not ApiToken.objects.exists()


# --- the admin --------------------------------------------------------------------------

CHANGELIST = reverse("admin:casetracker_apitoken_changelist")
ADD = reverse("admin:casetracker_apitoken_add")


def change_url(token) -> str:
    return reverse("admin:casetracker_apitoken_change", args=[token.pk])


def test_a_user_creates_a_token_in_the_admin_and_sees_its_key_once(client, world, detention):
    login(client, world.caseworker)

    response = client.post(ADD, {"name": "reporting script", "expires_days": 30})

    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request) if "API token is" in str(m)]
    key = KEY.search(message).group()
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (world.caseworker, "reporting script")
    assert bearer(key).get(DETENTIONS).status_code == 200
    pages = [client.get(CHANGELIST), client.get(change_url(token)), client.get(CHANGELIST)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    # The message shows the key on the page after the redirect, and never again.
    assert [key in page.content.decode() for page in pages] == [True, False, False]
    assert not [page for page in pages if token.key_hash in page.content.decode()]


def test_the_admin_refuses_a_lifetime_out_of_range(client, world):
    login(client, world.caseworker)

    response = client.post(ADD, {"name": "forever", "expires_days": 1000})

    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_a_user_sees_only_their_own_tokens_and_a_superuser_all(client, world):
    mine = api_token_create(acting_user=world.caseworker, user=world.caseworker, name="Mine-1")[0]
    theirs = api_token_create(acting_user=world.lawyer, user=world.lawyer, name="Theirs-2")[0]
    login(client, world.caseworker)

    listing = client.get(CHANGELIST).content.decode()

    assert "Mine-1" in listing and "Theirs-2" not in listing
    assert client.get(change_url(mine)).status_code == 200
    assert client.get(change_url(theirs)).status_code == 302  # "does not exist", to the index
    root = f.UserFactory(username="root", is_superuser=True)
    login(client, root)
    listing = client.get(CHANGELIST).content.decode()
    assert "Mine-1" in listing and "Theirs-2" in listing


def test_a_user_revokes_their_token_in_the_admin(client, world):
    token, key = api_token_create(acting_user=world.caseworker, user=world.caseworker, name="x")
    theirs = api_token_create(acting_user=world.lawyer, user=world.lawyer, name="theirs")[0]
    login(client, world.caseworker)

    response = client.post(
        CHANGELIST,
        {"action": "revoke", "_selected_action": [str(token.pk), str(theirs.pk)]},
    )

    assert response.status_code == 302
    token.refresh_from_db()
    theirs.refresh_from_db()
    assert token.revoked_at is not None and theirs.revoked_at is None
    assert bearer(key).get(DETENTIONS).status_code == 401


def test_tokens_are_revoked_not_deleted_or_edited(client, world):
    token = api_token_create(acting_user=world.caseworker, user=world.caseworker, name="x")[0]
    login(client, world.caseworker)

    page = client.get(change_url(token)).content.decode()
    client.post(change_url(token), {"name": "renamed"})
    deleting = client.get(reverse("admin:casetracker_apitoken_delete", args=[token.pk]))

    assert 'name="_save"' not in page
    token.refresh_from_db()
    assert token.name == "x"
    assert deleting.status_code == 403
