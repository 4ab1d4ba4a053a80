"""Two-factor sign-in (issue #10): enrolment, the second step of signing in, recovery codes,
an organisation's obligation, API tokens, and an admin's reset."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from cases.models import CaseEvent
from casetracker.api.tokens import api_token_create
from casetracker.mfa import enrolment_key_of, totp_now
from organisations.models import Membership
from organisations.services import membership_mfa_reset, organisation_update
from tests.helpers import nothing_written

PASSWORD = "correct horse battery"  # tests/factories.py
SIGNED_KEY = re.compile(r'name="signed_key" value="([^"]+)"')
CODE = re.compile(r"<li><code>([a-z0-9]+)</code></li>")


def signed_in(user) -> Client:
    user.save()  # the factory's password (tests/factories.py saves it only when asked)
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def enrol(client: Client, user) -> tuple[str, list[str]]:
    """Enrol through the page as a user would: read the key the page offers, answer with the
    app's code. Returns the key (hex) and the recovery codes shown."""
    page = client.get(reverse("account_mfa")).content.decode()
    signed = SIGNED_KEY.search(page).group(1)
    key = enrolment_key_of(user, signed)
    response = client.post(reverse("account_mfa"), {"signed_key": signed, "code": totp_now(key)})
    assert response.status_code == 200, response.content.decode()[:2000]
    return key, CODE.findall(response.content.decode())


def next_code(key: str) -> str:
    """The app's code one step on: the one just used is spent (django-otp refuses a replay)."""
    totp = TOTP(bytes.fromhex(key))
    totp.time += totp.step
    return f"{totp.token():06d}"


@pytest.fixture
def obliged(world):
    """``world.org`` requires two-factor sign-in (the model's default)."""
    organisation_update(acting_user=world.admin, organisation=world.org, require_mfa=True)
    return world


# --- an organisation's obligation ------------------------------------------------------------


PAGES = ["workspace:dashboard", "cases:case_list", "people:person_list", "cases:calendar"]


@pytest.mark.parametrize("page", PAGES)
def test_a_member_without_mfa_is_sent_to_enrolment_from_every_page(obliged, page):
    client = signed_in(obliged.caseworker)
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_mfa"))


def test_the_case_and_person_pages_and_the_admin_are_closed_too(obliged):
    client = signed_in(obliged.admin)
    for url in (
        obliged.case.get_absolute_url(),
        obliged.case.parties.first().person.get_absolute_url()
        if obliged.case.parties.exists()
        else reverse("workspace:dashboard"),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_mfa")), url


def test_the_api_answers_403_with_a_clear_message(obliged):
    session = signed_in(obliged.caseworker)
    response = session.get("/api/v1/cases/")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    _token, key = api_token_create(
        acting_user=obliged.caseworker, user=obliged.caseworker, name="laptop"
    )
    response = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_a_token_counts_as_a_second_factor_once_its_user_enrolled(obliged):
    client = signed_in(obliged.caseworker)
    _token, key = api_token_create(
        acting_user=obliged.caseworker, user=obliged.caseworker, name="laptop"
    )
    enrol(client, obliged.caseworker)
    response = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_members_of_an_organisation_that_does_not_require_it_go_on(world):
    client = signed_in(world.caseworker)
    assert client.get(reverse("workspace:dashboard")).status_code == 200


def test_new_organisations_require_it_and_existing_ones_were_left_as_they_were(world):
    from organisations.models import Organisation

    assert Organisation._meta.get_field("require_mfa").default is True


# --- enrolment ---------------------------------------------------------------------------------


def test_enrolment_shows_a_server_drawn_qr_code_and_the_key(world):
    client = signed_in(world.caseworker)
    page = client.get(reverse("account_mfa")).content.decode()
    assert 'src="data:image/svg+xml' in page  # drawn here; the CSP allows nothing else
    assert 'id="mfa-key"' in page


def test_enrolment_with_a_wrong_code_fails_and_keeps_nothing(obliged):
    client = signed_in(obliged.caseworker)
    page = client.get(reverse("account_mfa")).content.decode()
    signed = SIGNED_KEY.search(page).group(1)
    key = enrolment_key_of(obliged.caseworker, signed)
    wrong = f"{(int(totp_now(key)) + 1) % 1_000_000:06d}"
    with nothing_written():
        response = client.post(reverse("account_mfa"), {"signed_key": signed, "code": wrong})
    assert response.status_code == 400
    assert "not the one the app shows" in response.content.decode()
    assert client.get(reverse("workspace:dashboard")).status_code == 302


def test_a_key_signed_for_someone_else_is_refused(world):
    client = signed_in(world.caseworker)
    page = signed_in(world.viewer).get(reverse("account_mfa")).content.decode()
    signed = SIGNED_KEY.search(page).group(1)
    key = enrolment_key_of(world.viewer, signed)
    response = client.post(reverse("account_mfa"), {"signed_key": signed, "code": totp_now(key)})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=world.caseworker).exists()


def test_enrolment_opens_the_pages_and_shows_ten_recovery_codes_once(obliged):
    client = signed_in(obliged.caseworker)
    _key, codes = enrol(client, obliged.caseworker)
    assert len(codes) == 10
    assert client.get(reverse("workspace:dashboard")).status_code == 200
    again = client.get(reverse("account_mfa")).content.decode()
    assert not any(code in again for code in codes)
    assert "10 recovery codes left" in again


# --- signing in with two factors ---------------------------------------------------------------


def test_after_the_password_the_code_is_asked_and_a_wrong_one_fails(world):
    client = signed_in(world.caseworker)
    key, _codes = enrol(client, world.caseworker)
    client.post(reverse("logout"))

    client = signed_in(world.caseworker)
    response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("verify"))
    assert client.get("/api/v1/cases/").status_code == 403
    wrong = f"{(int(next_code(key)) + 1) % 1_000_000:06d}"
    refused = client.post(reverse("verify"), {"code": wrong})
    assert refused.status_code == 400
    assert client.get(reverse("workspace:dashboard")).status_code == 302


def test_the_right_code_opens_the_pages(world):
    client = signed_in(world.caseworker)
    key, _codes = enrol(client, world.caseworker)
    client.post(reverse("logout"))
    client = signed_in(world.caseworker)
    TOTPDevice.objects.filter(user=world.caseworker).update(throttling_failure_count=0)
    response = client.post(reverse("verify"), {"code": next_code(key)})
    assert response.status_code == 302
    assert client.get(reverse("workspace:dashboard")).status_code == 200


def test_a_recovery_code_works_once(world):
    client = signed_in(world.caseworker)
    _key, codes = enrol(client, world.caseworker)
    client.post(reverse("logout"))

    first = signed_in(world.caseworker)
    assert first.post(reverse("verify"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("workspace:dashboard")).status_code == 200
    assert StaticToken.objects.filter(device__user=world.caseworker).count() == 9

    second = signed_in(world.caseworker)
    assert second.post(reverse("verify"), {"code": codes[0]}).status_code == 400
    assert second.get(reverse("workspace:dashboard")).status_code == 302


def test_replacing_the_app_needs_the_second_factor(world):
    """A password alone must not let someone put their own app in place of the user's."""
    client = signed_in(world.caseworker)
    enrol(client, world.caseworker)
    client.post(reverse("logout"))
    attacker = signed_in(world.caseworker)
    response = attacker.get(reverse("account_mfa"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("verify"))


# --- an admin's reset ----------------------------------------------------------------------------


def test_an_admin_resets_a_members_mfa_on_the_timeline(world):
    client = signed_in(world.caseworker)
    enrol(client, world.caseworker)
    membership = Membership.objects.get(user=world.caseworker)

    membership_mfa_reset(acting_user=world.admin, membership=membership)

    assert not TOTPDevice.objects.filter(user=world.caseworker).exists()
    event = CaseEvent.objects.get(kind="membership.mfa_reset")
    assert event.actor == world.admin


def test_the_reset_is_an_action_of_the_memberships_admin_for_the_organisations_admins(world):
    client = signed_in(world.caseworker)
    enrol(client, world.caseworker)
    membership = Membership.objects.get(user=world.caseworker)
    world.admin.is_staff = True
    world.admin.save()
    admin_client = signed_in(world.admin)
    response = admin_client.post(
        reverse("admin:organisations_membership_changelist"),
        {"action": "reset_mfa", "_selected_action": [str(membership.pk)]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.caseworker).exists()

    other = Membership.objects.get(user=world.other_caseworker)
    TOTPDevice.objects.create(user=world.other_caseworker, name="app", confirmed=True)
    admin_client.post(
        reverse("admin:organisations_membership_changelist"),
        {"action": "reset_mfa", "_selected_action": [str(other.pk)]},
    )
    assert TOTPDevice.objects.filter(user=world.other_caseworker).exists()


def test_the_demo_admin_is_enrolled_with_the_documented_key(db, settings, tmp_path):
    from workspace.demo import DEMO_TOTP_KEY, DEMO_TOTP_USER, demo_load

    settings.MEDIA_ROOT = tmp_path
    demo_load()
    user = get_user_model().objects.get(username=DEMO_TOTP_USER)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert device.key == DEMO_TOTP_KEY
    assert not get_user_model().objects.exclude(pk=user.pk).filter(totpdevice__isnull=False)
