"""The user's own page (issue #17): API tokens created and revoked without the admin, which is
closed to viewers and outside lawyers."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from casetracker.api.tokens import api_token_create
from casetracker.models import ApiToken
from tests.helpers import nothing_written
from tests.pages.matrix import EVERYONE, USERS, ActionMatrix, PageMatrix, client_for

ACCOUNT = reverse("account")
REVOKE = reverse("account_token_revoke")
KEY = re.compile(r'id="token-key" type="text" value="([^"]+)"')


class TestAccountPage(PageMatrix):
    url_name = "account"
    status = EVERYONE
    # Session, user, the user's tokens, the header's unread count.
    query_budget = 4

    def add_row(self, world):
        api_token_create(acting_user=world.caseworker, user=world.caseworker, name="laptop")


class TestRevoke(ActionMatrix):
    url_name = "account_token_revoke"
    # Each user revokes their own tokens: the inherited test posts a token of the caseworker,
    # which every other user is told does not exist.
    allowed = {"caseworker": True}

    def url(self, world):
        return REVOKE

    def data(self, world):
        token = ApiToken.objects.filter(user=world.caseworker).first()
        if token is None:
            token = api_token_create(
                acting_user=world.caseworker, user=world.caseworker, name="laptop"
            )[0]
        return {"token": str(token.pk)}

    @pytest.mark.parametrize("who", USERS)
    def test_post(self, world, who):
        client = client_for(getattr(world, who))
        data = self.data(world)
        if self.allowed.get(who, False):
            assert client.post(REVOKE, data).status_code == 302
            assert ApiToken.objects.get(pk=data["token"]).revoked_at is not None
        else:
            with nothing_written():
                assert client.post(REVOKE, data).status_code == 404


@pytest.mark.parametrize("who", ["viewer", "lawyer"])
def test_a_token_made_on_the_page_is_shown_once_and_opens_the_api(world, who):
    client = client_for(getattr(world, who))

    created = client.post(ACCOUNT, {"name": "court laptop", "expires_days": "30"})
    again = client.get(ACCOUNT)

    key = KEY.search(created.content.decode()).group(1)
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert created.status_code == 200
    assert key not in again.content.decode() and "court laptop" in again.content.decode()
    assert api.get(reverse("case-detail", args=[world.case.pk])).status_code == 200
    token = ApiToken.objects.get(user=getattr(world, who))
    lifetime = round((token.expires_at - token.created_at).total_seconds() / 86400)
    assert (token.name, lifetime) == ("court laptop", 30)


@pytest.mark.parametrize(
    ("data", "field"),
    [({"name": "laptop", "expires_days": "400"}, "expires_days"), ({"name": ""}, "name")],
)
def test_a_wrong_token_form_says_which_field_and_creates_nothing(world, data, field):
    client = client_for(world.lawyer)

    with nothing_written():
        response = client.post(ACCOUNT, data)

    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert f'id="id_{field}_errors"' in response.content.decode()


def test_a_revoked_token_no_longer_opens_the_api(world):
    token, key = api_token_create(acting_user=world.lawyer, user=world.lawyer, name="phone")
    client = client_for(world.lawyer)
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get(reverse("case-list")).status_code == 200

    response = client.post(REVOKE, {"token": str(token.pk)}, follow=True)

    assert "is revoked" in response.content.decode()
    assert "revoked" in response.content.decode()
    assert api.get(reverse("case-list")).status_code == 401


@pytest.mark.parametrize("token", ["", "not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_revoking_a_token_that_is_not_there_is_a_404(world, token):
    with nothing_written():
        assert client_for(world.lawyer).post(REVOKE, {"token": token}).status_code == 404


def test_the_header_links_to_the_account_page(world):
    content = client_for(world.viewer).get(reverse("workspace:dashboard")).content.decode()
    assert f'href="{ACCOUNT}"' in content


class TestTwoFactorPage(PageMatrix):
    """Everyone may set up two-factor sign-in for themselves (issue #10)."""

    url_name = "account_mfa"
    status = EVERYONE
    # Session (read, then written: the key being enrolled), user, the user's devices, their
    # organisations' rule, the recovery codes left, the header's unread count.
    query_budget = 8

    def add_row(self, world):
        api_token_create(acting_user=world.caseworker, user=world.caseworker, name="laptop")


class TestSignOutEverywherePage(PageMatrix):
    url_name = "account_sign_out_everywhere"
    status = EVERYONE
    query_budget = 4

    def add_row(self, world):
        api_token_create(acting_user=world.caseworker, user=world.caseworker, name="laptop")
