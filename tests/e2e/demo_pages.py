"""The demo's records, looked up for the browser tests, and the main pages that the
accessibility and language tests visit.

Tests run in the live server's process and database, so they look records up with the ORM
(after the ``demo`` fixture has loaded them) and open their pages by address.
"""

import datetime
from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Case, ExtraditionRequest
from casetracker.services import user_language_set
from people.models import Person
from tests.e2e.helpers import console_error_allow, htmx_swap
from workspace.demo.cast import GROUP, PENDING, RELEASED, Someone

GROUP_CASE = "ALA-2010-001"


def demo_case(reference: str) -> Case:
    return Case.objects.get(reference=reference)


def demo_pending_case() -> Case:
    """The case open today, shared with ``lawyer``: ALA-<year>-001, of the year it was opened,
    23 days ago (workspace/demo/single.py:pending_case)."""
    opened_on = timezone.localdate() - datetime.timedelta(days=23)
    return demo_case(f"ALA-{opened_on.year}-001")


def demo_person(someone: Someone) -> Person:
    return Person.objects.get(family_name=someone.family_name, given_name=someone.given_name)


def demo_released_request() -> ExtraditionRequest:
    """The extradition request of the group case's one man the court spared (refused)."""
    return ExtraditionRequest.objects.get(
        case__reference=GROUP_CASE, person=demo_person(GROUP[RELEASED])
    )


def demo_language_set(username: str, language: str) -> None:
    """Remember ``language`` as ``username``'s choice, as the language switch does: the next
    sign-in speaks it."""
    user = get_user_model().objects.get(username=username)
    user_language_set(acting_user=user, language=language)


# --- the main pages, as the accessibility and language tests visit them ---------------------

# The person search of the header, for a Cyrillic spelling of a Latin-script name.
CYRILLIC_QUERY = "Эргашбеков"


def _group_case_path() -> str:
    return demo_case(GROUP_CASE).get_absolute_url()


def _high_risk_person_path() -> str:
    return demo_person(PENDING).get_absolute_url()


def _detention_form_path() -> str:
    return reverse("cases:detention_create", args=[demo_case(GROUP_CASE).pk])


MAIN_PAGES: dict[str, Callable[[], str]] = {
    "dashboard": lambda: reverse("workspace:dashboard"),
    "case-list": lambda: reverse("cases:case_list"),
    "case": _group_case_path,
    "person": _high_risk_person_path,
    "form": _detention_form_path,
    # The same form submitted empty: its errors next to the fields.
    "form-errors": _detention_form_path,
    "calendar": lambda: reverse("cases:calendar"),
    "alerts": lambda: reverse("cases:alerts"),
    "people-search": lambda: f"{reverse('people:person_list')}?{urlencode({'q': CYRILLIC_QUERY})}",
}


def main_page_open(page: Page, name: str) -> None:
    """Open the main page ``name`` (of MAIN_PAGES) as the signed-in user, and wait until it is
    complete: for "form-errors", until the empty form has come back with its errors."""
    path = MAIN_PAGES[name]()
    response = page.goto(path)
    assert response is not None, f"{name}: no response from {path}"
    assert response.status == 200, f"{name}: {path} answered {response.status}"
    if name == "form-errors":
        # The 400 that carries the errors: Chromium logs it as a failed resource.
        console_error_allow(page, r"status of 400")
        form = page.locator("main form.form")
        with htmx_swap(page, path):
            form.locator('button[type="submit"]').click()
        expect(form.locator(".form__summary")).to_be_visible()
        expect(form.locator(".field--error").first).to_be_visible()
