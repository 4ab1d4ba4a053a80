"""The sign-in page: accessible, signs a caseworker in, refuses a wrong password."""

import re

from django.conf import settings
from django.shortcuts import resolve_url
from playwright.sync_api import expect

from tests.e2e.helpers import LOGIN_PATH, axe_check, login, login_submit, screenshot


def test_login_page_is_accessible(live_server, desktop, phone) -> None:
    for page, name in ((desktop, "login-desktop"), (phone, "login-phone")):
        page.goto(LOGIN_PATH)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
        axe_check(page, f"the sign-in page ({name})")
        screenshot(page, name)


def test_caseworker_signs_in_and_lands_on_the_login_redirect(live_server, demo, desktop) -> None:
    login(desktop, live_server, "ala-caseworker")
    expect(desktop).to_have_url(live_server.url + resolve_url(settings.LOGIN_REDIRECT_URL))
    expect(desktop.get_by_text(re.compile(r"Signed in as ala-caseworker\b"))).to_be_visible()


def test_wrong_password_shows_the_error_and_stays(live_server, demo, desktop) -> None:
    login_submit(desktop, live_server, "ala-caseworker", "not-the-password")
    expect(desktop.get_by_role("alert")).to_contain_text("enter a correct username and password")
    expect(desktop).to_have_url(re.compile(re.escape(LOGIN_PATH) + "$"))
    expect(desktop.locator('input[name="username"]')).to_have_value("ala-caseworker")
    expect(desktop.get_by_text("Signed in as")).to_have_count(0)
