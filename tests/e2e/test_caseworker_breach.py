"""A caseworker records the surrender of the group case's one man still protected by the CAT
interim measure (DESIGN §1, §6): the breach alert leads the dashboard at once, and is
acknowledged there inline.

The man the court spared (workspace/demo/cast.py ``RELEASED``) kept the interim measure of the
group's CAT complaint, which was never lifted; his extradition request stands refused.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cases.choices import AlertKind, RequestStatus
from cases.models import Alert, ExtraditionRequest
from cases.services import extradition_request_surrender
from tests.e2e.demo_pages import GROUP_CASE, demo_released_request
from tests.e2e.helpers import expect_unread_alerts, htmx_swap, login, main_nav, unread_alerts

CASEWORKER = "ala-caseworker"


@pytest.fixture
def released_request(demo) -> ExtraditionRequest:
    request = demo_released_request()
    assert request.status == RequestStatus.REFUSED, "the demo changed: the request was refused"
    return request


def new_alerts(page: Page) -> Locator:
    """The dashboard's "New alerts" section."""
    return page.get_by_role("region", name=re.compile(r"^New alerts"))


def test_recording_a_surrender_under_an_interim_measure_puts_the_breach_alert_first(
    live_server, released_request, desktop
) -> None:
    page, case, person = desktop, released_request.case, str(released_request.person)
    login(page, live_server, CASEWORKER)
    unread_before = unread_alerts(page)

    main_nav(page).get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    with htmx_swap(page, "/cases/"):
        page.get_by_label("Search", exact=True).fill(GROUP_CASE)
    found = page.locator("#case-results tbody tr")
    expect(found).to_have_count(1)
    found.get_by_role("link", name=GROUP_CASE).click()

    case_url = live_server.url + case.get_absolute_url()
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(GROUP_CASE)
    request = page.locator("article.record").filter(
        has=page.get_by_role("heading", name=re.compile(rf"^{re.escape(person)}:"))
    )
    expect(request).to_have_count(1)
    expect(request.locator(".badge")).to_have_text("refused")
    request.get_by_role("link", name=re.compile(r"\bsurrender\b", re.IGNORECASE)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Record the surrender of {person}")
    page.get_by_label("Surrendered on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the surrender").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(case_url)}(#.*)?$"))
    expect(page.locator(".messages")).to_contain_text("Surrender recorded.")
    expect(request.locator(".badge")).to_have_text("surrendered")

    main_nav(page).get_by_role("link", name="Dashboard").click()
    first = new_alerts(page).locator("tbody tr").first
    expect(first).to_contain_text(GROUP_CASE)
    expect(first).to_contain_text(re.compile(r"\bbreach\b", re.IGNORECASE))
    expect(first.get_by_role("button", name="Acknowledge")).to_be_visible()
    expect_unread_alerts(page, unread_before + 1)


@pytest.fixture
def breach(released_request) -> Alert:
    """The surrender recorded through the service the form calls, which raises the breach."""
    extradition_request_surrender(
        acting_user=released_request.case.lead,
        request=released_request,
        surrendered_on=timezone.localdate(),
    )
    return Alert.objects.get(
        case=released_request.case,
        kind=AlertKind.INTERIM_MEASURE_BREACH,
        acknowledged_at__isnull=True,
    )


def test_acknowledging_the_breach_on_the_dashboard_swaps_its_row_without_a_reload(
    live_server, breach, desktop
) -> None:
    page = desktop
    login(page, live_server, CASEWORKER)
    unread_before = unread_alerts(page)
    row = new_alerts(page).locator(f"#alert-row-{breach.pk}")
    expect(row).to_contain_text(re.compile(r"\bbreach\b", re.IGNORECASE))
    # A full reload would start a new document and lose this mark.
    page.evaluate("() => { window.sameDocument = true; }")

    with htmx_swap(page, f"/alerts/{breach.pk}/acknowledge/"):
        row.get_by_role("button", name="Acknowledge").click()

    expect(row.get_by_role("button", name="Acknowledge")).to_have_count(0)
    expect(row).to_contain_text(f"By {CASEWORKER}")
    expect_unread_alerts(page, unread_before - 1)
    assert page.evaluate("() => window.sameDocument === true"), "the page was reloaded"
    breach.refresh_from_db()
    assert breach.acknowledged_by.username == CASEWORKER
