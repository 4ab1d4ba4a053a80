"""The language switch (issue #5 point 1): English or Russian, remembered on the user's account."""

import pytest
from django.test import Client
from django.urls import reverse

from casetracker.models import UserPreference
from tests import factories as f

SWITCH = reverse("language_set")
LOGIN = reverse("login")


def signed_in(user) -> Client:
    user.save()
    client = Client()
    client.force_login(user)
    return client


def page_language(client: Client, url: str = LOGIN) -> str:
    response = client.get(url)
    return response.headers["Content-Language"]


def test_a_signed_in_choice_is_kept_on_the_account_and_follows_the_user_to_a_new_device(db):
    user = f.UserFactory(username="aigerim", password="pw-for-tests")
    phone = signed_in(user)

    response = phone.post(SWITCH, {"language": "ru", "next": "/alerts/"})

    assert response.status_code == 302
    assert response["Location"] == "/alerts/"
    assert UserPreference.objects.get(user=user).language == "ru"
    assert page_language(phone, "/alerts/") == "ru"
    # Another browser, with English in its Accept-Language, signs in through the form.
    laptop = Client(headers={"accept-language": "en"})
    laptop.post(LOGIN, {"username": "aigerim", "password": "pw-for-tests", "next": "/alerts/"})
    assert page_language(laptop, "/alerts/") == "ru"
    assert 'lang="ru"' in laptop.get("/alerts/").content.decode()


def test_switching_back_to_english_is_remembered_too(db):
    user = f.UserFactory()
    client = signed_in(user)
    client.post(SWITCH, {"language": "ru"})

    client.post(SWITCH, {"language": "en"})

    assert UserPreference.objects.get(user=user).language == "en"
    assert page_language(client, "/alerts/") == "en"


def test_before_sign_in_the_choice_lives_in_a_cookie(db):
    client = Client()

    response = client.post(SWITCH, {"language": "ru", "next": LOGIN})

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "ru"
    assert page_language(client) == "ru"
    assert not UserPreference.objects.exists()


@pytest.mark.parametrize("language", ["", "de", "ru-evil"])
def test_an_unknown_language_is_refused_naming_the_field_and_changes_nothing(db, language):
    user = f.UserFactory()
    client = signed_in(user)

    response = client.post(SWITCH, {"language": language})

    assert response.status_code == 400
    assert "language" in response.content.decode()
    assert not UserPreference.objects.exists()


def test_next_may_not_send_the_user_to_another_site(db):
    client = signed_in(f.UserFactory())

    response = client.post(SWITCH, {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_switch_takes_only_post(db):
    assert Client().get(SWITCH).status_code == 405
