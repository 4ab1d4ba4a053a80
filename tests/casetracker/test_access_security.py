"""Brute-force lockout, sessions, API rate limits and the password policy (issue #10)."""

import re
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import CalendarFeed
from cases.services.feeds import calendar_feed_create
from casetracker.api.tokens import api_token_create
from casetracker.models import ApiToken
from casetracker.sessions import SEEN_AT, SIGNED_IN_AT

PASSWORD = "correct horse battery"


def sign_in(client: Client, username: str, password: str, url: str = "") -> object:
    return client.post(url or reverse("login"), {"username": username, "password": password})


# --- lockout ---------------------------------------------------------------------------------


def test_the_eleventh_try_is_refused_even_with_the_right_password(world):
    world.caseworker.save()
    client = Client()
    for _ in range(9):
        assert sign_in(client, "caseworker", "wrong password").status_code == 200
    assert sign_in(client, "caseworker", "wrong password").status_code == 429  # the tenth
    locked = sign_in(client, "caseworker", PASSWORD)
    assert locked.status_code == 429
    assert "paused for 30 minutes" in locked.content.decode()
    assert locked["Retry-After"] == "1800"
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_does_not_say_whether_the_username_exists(world):
    world.caseworker.save()
    answers = []
    for username in ("caseworker", "nobody-of-that-name"):
        client = Client(REMOTE_ADDR=f"10.0.0.{len(answers) + 1}")
        for _ in range(10):
            sign_in(client, username, "wrong password")
        response = sign_in(client, username, "wrong password")
        # The page without its CSRF tokens, which differ per client.
        page = re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())
        answers.append((response.status_code, page))
    assert answers[0] == answers[1]


def test_one_address_is_locked_after_ten_failures_over_any_usernames(world):
    world.caseworker.save()
    client = Client(REMOTE_ADDR="10.9.9.9")
    for n in range(10):
        sign_in(client, f"guess{n}", "wrong password")
    assert sign_in(client, "caseworker", PASSWORD).status_code == 429
    # Another address still signs the user in: a lock on an address is not on the user.
    assert sign_in(Client(REMOTE_ADDR="10.1.1.1"), "other_caseworker", "x").status_code == 200


def test_the_lock_ends_after_thirty_minutes(world, settings):
    import datetime

    from axes.models import AccessAttempt

    world.caseworker.save()
    client = Client()
    for _ in range(10):
        sign_in(client, "caseworker", "wrong password")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - datetime.timedelta(minutes=31)
    )
    assert sign_in(client, "caseworker", PASSWORD).status_code == 302


def test_the_admin_sign_in_is_locked_the_same_way(world):
    world.admin.is_staff = True
    world.admin.save()
    client = Client()
    url = reverse("admin:login")
    for _ in range(10):
        sign_in(client, "admin", "wrong password", url)
    assert sign_in(client, "admin", PASSWORD, url).status_code == 429


# --- sessions --------------------------------------------------------------------------------


def _session_times(client: Client, **ago: float) -> None:
    session = client.session
    now = time.time()
    for key, seconds in ago.items():
        session[key] = now - seconds
    session.save()


def test_a_session_ends_after_thirty_idle_minutes(world):
    world.caseworker.save()
    client = Client()
    sign_in(client, "caseworker", PASSWORD)
    _session_times(client, seen_at=29 * 60)
    assert client.get(reverse("workspace:dashboard")).status_code == 200
    _session_times(client, seen_at=31 * 60)
    response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_ends_twelve_hours_after_sign_in_whatever_the_activity(world):
    world.caseworker.save()
    client = Client()
    sign_in(client, "caseworker", PASSWORD)
    _session_times(client, signed_in_at=12 * 3600 + 60, seen_at=0)
    response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 302


def test_the_idle_timeout_is_a_setting(world, settings):
    settings.SESSION_IDLE_MINUTES = 5
    world.caseworker.save()
    client = Client()
    sign_in(client, "caseworker", PASSWORD)
    _session_times(client, seen_at=6 * 60)
    assert client.get(reverse("workspace:dashboard")).status_code == 302


def test_sign_in_stamps_the_session(world):
    world.caseworker.save()
    client = Client()
    sign_in(client, "caseworker", PASSWORD)
    assert {SIGNED_IN_AT, SEEN_AT} <= set(client.session.keys())


def test_cookies_are_secure_httponly_and_lax_in_production():
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"
    # Secure follows DEBUG=False (casetracker/settings.py); checked by manage.py check --deploy
    # in tests/casetracker/test_deploy.py.


def test_sign_out_everywhere_ends_sessions_tokens_and_feeds_after_confirmation(world):
    world.caseworker.save()
    laptop, phone = Client(), Client()
    sign_in(laptop, "caseworker", PASSWORD)
    sign_in(phone, "caseworker", PASSWORD)
    other = Client()
    world.viewer.save()
    sign_in(other, "viewer", PASSWORD)
    _token, key = api_token_create(acting_user=world.caseworker, user=world.caseworker, name="x")
    calendar_feed_create(acting_user=world.caseworker)
    url = reverse("account_sign_out_everywhere")

    unconfirmed = laptop.post(url, {})
    assert unconfirmed.status_code == 400
    assert phone.get(reverse("workspace:dashboard")).status_code == 200

    response = laptop.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert phone.get(reverse("workspace:dashboard")).status_code == 302
    assert laptop.get(reverse("workspace:dashboard")).status_code == 302
    assert other.get(reverse("workspace:dashboard")).status_code == 200
    assert not ApiToken.objects.filter(user=world.caseworker, revoked_at__isnull=True).exists()
    assert not CalendarFeed.objects.active().filter(user=world.caseworker).exists()
    assert APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert Session.objects.count() == 1  # the viewer's


# --- API rate limits ---------------------------------------------------------------------------


def test_a_token_over_its_rate_gets_429_with_retry_after(world, settings):
    settings.API_THROTTLE_RATES = {"token": "3/minute", "ip": None}
    _token, key = api_token_create(acting_user=world.caseworker, user=world.caseworker, name="x")
    client = APIClient()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert [client.get("/api/v1/cases/", **auth).status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/v1/cases/", **auth)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "detail" in refused.json()
    # Another token of another user has its own count.
    _other, other_key = api_token_create(acting_user=world.viewer, user=world.viewer, name="y")
    assert client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 200


def test_one_address_over_its_rate_gets_429_signed_in_or_not(world, settings):
    settings.API_THROTTLE_RATES = {"token": None, "ip": "2/minute"}
    client = APIClient(REMOTE_ADDR="10.2.2.2")
    assert [client.get("/api/v1/cases/").status_code for _ in range(2)] == [401, 401]
    assert client.get("/api/v1/cases/").status_code == 429
    # A client-sent X-Forwarded-For does not make a new address.
    spoofed = client.get("/api/v1/cases/", HTTP_X_FORWARDED_FOR="10.3.3.3")
    assert spoofed.status_code == 429
    assert APIClient(REMOTE_ADDR="10.4.4.4").get("/api/v1/cases/").status_code == 401


def test_the_schema_documents_429_on_every_operation(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operations = [
        op for path in schema["paths"].values() for op in path.values() if "responses" in op
    ]
    assert operations
    for operation in operations:
        assert "Retry-After" in operation["responses"]["429"]["headers"]


# --- the password policy ------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["short-pw-1", "password123456", "123456789012"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_uncommon_password_is_accepted():
    validate_password("river-lamp-orchard-9")


def test_the_public_demo_password_opens_nothing_without_debug(world, settings):
    from workspace.demo import DEMO_PASSWORD

    world.caseworker.set_password(DEMO_PASSWORD)
    world.caseworker.save()
    settings.DEBUG = False
    assert sign_in(Client(), "caseworker", DEMO_PASSWORD).status_code == 200  # the form again
    settings.DEBUG = True
    assert sign_in(Client(), "caseworker", DEMO_PASSWORD).status_code == 302
