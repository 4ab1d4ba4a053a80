"""WCAG 2.2 AA (axe-core: no serious or critical violation) on the main pages, in English and in
Russian, as a caseworker; and the screenshots of docs/screenshots/.

English is checked at both widths, a desktop's and a phone's (375 px, where the page must not
scroll sideways either), and those loads also take the screenshots (``<page>-desktop.png``,
``<page>-phone.png``): each page is loaded once per language and viewport. Russian, whose
layout is English's, is checked on the desktop.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.demo_pages import MAIN_PAGES, demo_language_set, main_page_open
from tests.e2e.helpers import assert_no_horizontal_scroll, axe_check, screenshot, sign_in

CASEWORKER = "ala-caseworker"
VIEWPORTS = {"en": ("desktop", "phone"), "ru": ("desktop",)}
# The empty form is checked but not pictured: its state with errors is.
PICTURED = set(MAIN_PAGES) - {"form"}


@pytest.mark.parametrize("name", list(MAIN_PAGES))
@pytest.mark.parametrize("language", list(VIEWPORTS))
def test_main_page_has_no_serious_accessibility_violation(
    live_server, demo, new_page, language, name
) -> None:
    demo_language_set(CASEWORKER, language)
    failures = []
    for viewport in VIEWPORTS[language]:
        page = new_page(viewport)
        sign_in(page, live_server, CASEWORKER)
        main_page_open(page, name)
        expect(page.locator("html")).to_have_attribute("lang", language)
        try:
            axe_check(page, f"{name} ({language}, {viewport})")
            if viewport == "phone":
                assert_no_horizontal_scroll(page, f"{name} ({language}, {viewport})")
        except AssertionError as failure:
            failures.append(str(failure))  # the other width is still worth checking
        if language == "en" and name in PICTURED:
            screenshot(page, f"{name}-{viewport}")
    assert not failures, "\n\n".join(failures)
