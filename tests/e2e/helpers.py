"""Helpers for the browser tests: sign in, check accessibility with axe-core, take screenshots,
read what a page shows (the header's alert count, sideways scrolling, its texts for the language
check), and the record of what went wrong in a page (console errors, CSP violations, 5xx
responses). The demo's records and the main pages are in ``demo_pages``."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from weakref import WeakKeyDictionary

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Request,
    Response,
    WebError,
    expect,
)

from tests.helpers import force_login_verified
from workspace.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.2 AA as axe-core tags it: a rule carries the tag of the version that introduced it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}
LOGIN_PATH = "/accounts/login/"
# Chromium logs a CSP violation as a console error, e.g. "Executing inline script violates the
# following Content Security Policy directive ..." (older versions: "Refused to ...").
CSP_MESSAGE = re.compile(r"Content[ -]Security[ -]Policy", re.IGNORECASE)
FAILED_5XX = re.compile(r"Failed to load resource: the server responded with a status of 5\d\d")


@dataclass
class Problems:
    """What went wrong in the pages of one browser context; the page fixtures fail the test at
    teardown unless every list is empty."""

    origin: str
    csp_violations: list[str] = field(default_factory=list)
    js_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        text, where = message.text, message.location.get("url", "")
        if CSP_MESSAGE.search(text):
            self.csp_violations.append(f"{text} (at {where})")
        elif message.type == "error":
            # Chromium asks for /favicon.ico on its own; its 404 is no error of a page's.
            if where.endswith("/favicon.ico"):
                return
            # A 5xx response is listed (once) under server_errors by on_response.
            if FAILED_5XX.match(text):
                return
            if any(pattern.search(text) for pattern in self.allowed):
                return
            self.js_errors.append(f"console.error: {text} (at {where})")

    def on_weberror(self, error: WebError) -> None:
        page = error.page.url if error.page else "?"
        self.js_errors.append(f"uncaught {error.error.name}: {error.error.message} (on {page})")

    def on_response(self, response: Response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def on_request(self, request: Request) -> None:
        # Every asset is served by the app itself (DESIGN §3: no CDN).
        url = request.url
        if not url.startswith((self.origin + "/", "data:", "blob:", "about:")):
            self.external_requests.append(f"{request.method} {url}")

    def report(self) -> str:
        sections = [
            ("Content-Security-Policy violations", self.csp_violations),
            ("JavaScript errors", self.js_errors),
            ("HTTP responses >= 500", self.server_errors),
            ("Requests outside the app", self.external_requests),
        ]
        return "\n".join(
            f"{title}:\n" + "\n".join(f"  - {line}" for line in lines)
            for title, lines in sections
            if lines
        )


_problems: "WeakKeyDictionary[BrowserContext, Problems]" = WeakKeyDictionary()


def problems_watch(context: BrowserContext, origin: str) -> Problems:
    """Record the problems of every page of ``context`` (popups too)."""
    problems = Problems(origin=origin.rstrip("/"))
    context.on("console", problems.on_console)
    context.on("weberror", problems.on_weberror)
    context.on("response", problems.on_response)
    context.on("request", problems.on_request)
    _problems[context] = problems
    return problems


def problems_of(page: Page) -> Problems:
    return _problems[page.context]


def console_error_allow(page: Page, pattern: str) -> None:
    """Let console errors matching ``pattern`` (a regex) pass: for a test that provokes one on
    purpose, e.g. htmx logs "htmx:responseError" for an HTMX request answered 4xx.
    CSP violations, uncaught exceptions and 5xx responses can never be allowed."""
    problems_of(page).allowed.append(re.compile(pattern))


def login_submit(page: Page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Fill and submit the real sign-in form (selectors that do not depend on the language)."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    form = page.locator(f'form[action="{LOGIN_PATH}"]')
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    form.locator('button[type="submit"]').click()


def login(page: Page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form at /accounts/login/ and wait until the browser has left it."""
    login_submit(page, live_server, username, password)
    expect(page).not_to_have_url(re.compile(re.escape(LOGIN_PATH)))


def sign_in(page: Page, live_server, username: str) -> None:
    """Sign ``username`` in without the form, for tests about something else: Django's test
    client opens the session (the sign-in signal still carries the user's language into it)
    and the browser context gets its cookie. Tests of signing in use ``login``."""
    client = Client()
    force_login_verified(client, get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


# htmx marks the requesting element (.htmx-request), the target while swapping (.htmx-swapping),
# while settling (.htmx-settling) and new content until it settles (.htmx-added).
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


@contextmanager
def htmx_swap(page: Page, path: str | re.Pattern | None = None) -> Iterator[None]:
    """Wait, after the block, for the HTMX request it started (whose URL contains ``path``, or
    matches it) to be answered, swapped in and settled::

        with htmx_swap(page, "/acknowledge/"):
            page.get_by_role("button", name="Acknowledge").first.click()

    Prefer a web-first assertion when there is one to make (``expect(row).to_contain_text(..)``
    waits by itself); this is for "the swap is done, now look at the whole page" (axe,
    screenshots, a count that must stay the same).
    """

    def wanted(response: Response) -> bool:
        if response.request.headers.get("hx-request") != "true":
            return False
        if isinstance(path, re.Pattern):
            return bool(path.search(response.url))
        return path is None or path in response.url

    with page.expect_response(wanted):
        yield
    page.wait_for_function(f"() => !document.querySelector({HTMX_BUSY!r})")


def axe_check(page: Page, label: str) -> None:
    """Run axe-core over the current page and fail on any serious or critical WCAG 2.2 A/AA
    violation, listing each with the elements it found.

    axe is evaluated through the DevTools protocol (``page.evaluate``), which the page's
    Content-Security-Policy does not govern: no ``<script>`` element is added, so the app's CSP
    (script-src 'self') stays in force and is not weakened for this or any other test. axe
    itself needs no eval() and loads nothing, so it provokes no violation either.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "), summary: n.failureSummary || "",
                })),
            }));
        }""",
        AXE_TAGS,
    )
    failing = [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS]
    if failing:
        lines = [f"axe-core: {len(failing)} serious/critical violation(s) on {label} ({page.url})"]
        for v in failing:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} <{v['helpUrl']}>")
            for node in v["nodes"][:10]:
                summary = " ".join(node["summary"].split())
                lines.append(f"    {node['target']}: {summary[:300]}")
            if len(v["nodes"]) > 10:
                lines.append(f"    ... and {len(v['nodes']) - 10} more")
        raise AssertionError("\n".join(lines))


# A screenshot bigger than this (a long case page) is cut to its top CLIP_HEIGHT CSS pixels:
# the docs show what the page looks like, and the repository stays small. A page taller than
# CLIP_AT is cut at once: rendering all of it, only to throw it away, takes seconds.
SCREENSHOT_MAX_BYTES = 1_500_000
CLIP_HEIGHT = 2500
CLIP_AT = 4 * CLIP_HEIGHT


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG of the current page as docs/screenshots/<name>.png (its top
    CLIP_HEIGHT pixels when the whole page would weigh more than SCREENSHOT_MAX_BYTES)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    options = {"path": path, "full_page": True, "animations": "disabled", "caret": "hide"}
    width, height = page.evaluate(
        "() => [window.innerWidth, document.documentElement.scrollHeight]"
    )
    clip = {"x": 0, "y": 0, "width": width, "height": CLIP_HEIGHT}
    if height > CLIP_AT:
        page.screenshot(**options, clip=clip)
        return path
    page.screenshot(**options)
    if path.stat().st_size > SCREENSHOT_MAX_BYTES:
        page.screenshot(**options, clip=clip)
    return path


# --- what a page shows ----------------------------------------------------------------------


def main_nav(page: Page) -> Locator:
    """The header's navigation (Dashboard, Cases, People, Calendar, Alerts)."""
    return page.get_by_role("navigation", name="Main")


def unread_alerts(page: Page) -> int:
    """The header's count of unacknowledged alerts (no badge: none)."""
    found = re.search(r"\d+", page.locator("#unread-alerts").inner_text())
    return int(found.group()) if found else 0


def expect_unread_alerts(page: Page, count: int) -> None:
    """Wait until the header's count says ``count`` (an HTMX swap may still be changing it)."""
    badge = page.locator("#unread-alerts")
    expect(badge).to_have_text(re.compile(rf"^\s*{count}\D*$") if count else re.compile(r"^\s*$"))


# The page scrolls sideways when the document is wider than the viewport. Only a .table-wrap or
# the .timeline may be wider than the screen, scrolling inside itself.
_OVERFLOW = """() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const found = [];
    for (const el of document.body.querySelectorAll("*")) {
        if (el.closest(".table-wrap, .timeline")) continue;
        const box = el.getBoundingClientRect();
        if (box.width && box.right > width + 0.5) {
            const id = el.id ? "#" + el.id : "";
            const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
            const right = Math.round(box.right);
            found.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${right}px)`);
        }
    }
    return found.length ? found : ["(the document is wider, but no element is: a margin?)"];
}"""


def assert_no_horizontal_scroll(page: Page, label: str) -> None:
    """The page never scrolls sideways (DESIGN §8: usable at 375 px): fails naming the elements
    that stick out on the right."""
    sticking_out = page.evaluate(_OVERFLOW)
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert not sticking_out, (
        f"{label} ({page.url}) scrolls horizontally: the document is {width[0]} px wide in a "
        f"{width[1]} px window. Elements past the right edge (outermost first):\n  "
        + "\n  ".join(sticking_out[:15])
    )


def language_switch(page: Page, code: str) -> None:
    """Choose ``code`` in the header's language switch (a select and a button; no JavaScript)
    and wait for the page to come back in that language."""
    form = page.locator("form.language")
    form.locator('select[name="language"]').select_option(code)
    form.locator('button[type="submit"]').click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def sign_out(page: Page) -> None:
    """Sign out with the header's button, landing on the sign-in page."""
    page.locator("form.signout").locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH) + "$"))


# Every text of the page a user meets, through their eyes or a screen reader: text nodes (also
# visually hidden ones, and closed <details>), the document's title, and the attributes read
# out or shown. Text marked as another language (lang="en" on the language switch's "English")
# is left out: it is meant to be in that language.
_UI_TEXTS = """(language) => {
    const inLanguage = (el) => {
        const marked = el.closest("[lang]");
        return !marked || marked.lang.toLowerCase().split("-")[0] === language;
    };
    const nodes = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
        acceptNode(node) {
            const parent = node.parentElement;
            if (!parent || parent.closest("script, style, template, noscript")) {
                return NodeFilter.FILTER_REJECT;
            }
            return node.data.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
        },
    });
    const joined = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        joined.push(node.data);
        if (inLanguage(node.parentElement)) nodes.push(node.data);
    }
    const attributes = [];
    const named = "[placeholder], [aria-label], [title], [alt], "
        + "input[type=submit][value], input[type=button][value], input[type=reset][value]";
    for (const el of document.querySelectorAll(named)) {
        if (!inLanguage(el)) continue;
        for (const name of ["placeholder", "aria-label", "title", "alt"]) {
            if (el.hasAttribute(name)) attributes.push([name, el.getAttribute(name)]);
        }
        if (el.matches("input[type=submit], input[type=button], input[type=reset]")) {
            attributes.push(["value", el.value]);
        }
    }
    return {
        nodes: [document.title, ...nodes],
        attributes: attributes,
        text: [document.title, joined.join(""), document.body.innerText].join("\\n"),
    };
}"""


@dataclass(frozen=True)
class UiTexts:
    """What ``ui_texts`` found: ``nodes`` one text node each (the title first), ``attributes``
    as (name, value), ``text`` everything run together (for phrases that cross elements)."""

    nodes: list[str]
    attributes: list[tuple[str, str]]
    text: str


def ui_texts(page: Page, language: str) -> UiTexts:
    """The texts of the page in ``language`` (see ``_UI_TEXTS``)."""
    found = page.evaluate(_UI_TEXTS, language)
    attributes = [(name, value) for name, value in found["attributes"]]
    return UiTexts(nodes=found["nodes"], attributes=attributes, text=found["text"])
