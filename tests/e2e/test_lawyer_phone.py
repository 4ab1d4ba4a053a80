"""The outside lawyer in court with a phone (DESIGN §2, §8): sees only the case shared with them,
files an update from the case page, never scrolls sideways, and gets the 404 page for any
other case. And what a viewer may not see: contact details, the "file an update" form.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Note
from tests.e2e.demo_pages import GROUP_CASE, demo_case, demo_pending_case, demo_person
from tests.e2e.helpers import (
    assert_no_horizontal_scroll,
    console_error_allow,
    htmx_swap,
    login,
    main_nav,
)
from workspace.demo.cast import GROUP

UPDATE = "Hearing adjourned to next week; the judge asked for the UNHCR certificate."


def test_lawyer_on_a_phone_files_an_update_on_the_shared_case(live_server, demo, phone) -> None:
    page, shared = phone, demo_pending_case()
    login(page, live_server, "lawyer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert_no_horizontal_scroll(page, "the dashboard")

    main_nav(page).get_by_role("link", name="Cases").click()
    rows = page.locator("#case-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(shared.reference)
    expect(page.locator("main")).not_to_contain_text(GROUP_CASE)
    assert_no_horizontal_scroll(page, "the case list")

    rows.get_by_role("link", name=shared.reference).click()
    expect(page).to_have_url(live_server.url + shared.get_absolute_url())
    assert_no_horizontal_scroll(page, "the case page")
    quick = page.get_by_role("region", name="File an update").locator("form")
    quick.get_by_label(re.compile(r"^Update\b")).fill(UPDATE)
    quick.get_by_label(re.compile(r"^Date\b")).fill(timezone.localdate().isoformat())
    page.evaluate("() => { window.sameDocument = true; }")
    with htmx_swap(page, "/notes/new/"):
        quick.get_by_role("button", name="File the update").click()

    newest = page.locator("#notes-list > li").first
    expect(newest).to_contain_text(UPDATE)
    expect(newest.locator("time").first).to_have_attribute(
        "datetime", timezone.localdate().isoformat()
    )
    expect(quick.get_by_label(re.compile(r"^Update\b"))).to_have_value("")
    assert page.evaluate("() => window.sameDocument === true"), "the page was reloaded"
    assert_no_horizontal_scroll(page, "the case page after filing an update")
    # The text is encrypted in its column: compared once read, not in SQL.
    filed = Note.objects.filter(case=shared, author__username="lawyer")
    assert [note.body for note in filed].count(UPDATE) == 1


def test_lawyer_typing_the_address_of_a_case_not_shared_gets_the_404_page(
    live_server, demo, phone
) -> None:
    page, hidden = phone, demo_case(GROUP_CASE)
    # Chromium logs the 404 of the page itself as a console error.
    console_error_allow(page, r"status of 404")
    login(page, live_server, "lawyer")

    response = page.goto(hidden.get_absolute_url())

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    main = page.locator("main")
    expect(main).not_to_contain_text(hidden.reference)
    expect(main).not_to_contain_text(hidden.title)
    expect(page).not_to_have_title(re.compile(re.escape(hidden.reference)))


# Ergashbekov, the first of the group, has a wife on record with a phone and an address
# (workspace/demo/group.py).
RELATIVE_PHONE = "+7 701 555 0142"
RELATIVE_ADDRESS = "Mkr. Orbita-9, 14-57, Almaty"


@pytest.mark.parametrize(
    ("username", "sees_contacts", "can_file"),
    [("ala-caseworker", True, True), ("ala-viewer", False, False)],
    ids=["caseworker-sees-them", "viewer-does-not"],
)
def test_only_who_may_sees_contact_details_and_the_update_form(
    live_server, demo, phone, username, sees_contacts, can_file
) -> None:
    """The caseworker's half shows the page has what the viewer's half finds missing."""
    page, person, case = phone, demo_person(GROUP[0]), demo_case(GROUP_CASE)
    login(page, live_server, username)

    page.goto(person.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(str(person))
    relatives = page.get_by_role("region", name="Relatives and contacts")
    expect(relatives).to_contain_text("Ergashbekova Malika")
    main, count = page.locator("main"), 1 if sees_contacts else 0
    expect(main.get_by_text(RELATIVE_PHONE)).to_have_count(count)
    expect(main.get_by_text(RELATIVE_ADDRESS)).to_have_count(count)
    expect(main.locator('a[href^="tel:"]')).to_have_count(count)

    page.goto(case.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(GROUP_CASE)
    if not sees_contacts:
        expect(main).not_to_contain_text(RELATIVE_PHONE)
    expect(page.get_by_role("heading", name="File an update")).to_have_count(int(can_file))
    expect(main.locator('form[action$="/notes/new/"]')).to_have_count(int(can_file))
