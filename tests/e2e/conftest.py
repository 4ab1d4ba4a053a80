"""Browser tests: Debian's Chromium (the ``chromium`` on PATH, never a downloaded browser)
driven by Playwright against pytest-django's ``live_server``.

Every test here is marked ``browser``: ``pytest -m "not browser"`` skips them; ``make test``
runs them. The page fixtures fail a test, at teardown, on any Content-Security-Policy
violation, JavaScript error, HTTP response >= 500 or request outside the app in any of its
pages (see ``helpers.Problems``).
"""

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models.signals import post_migrate
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect, sync_playwright

from cases.models import DeadlineRule
from tests.e2e.helpers import problems_watch

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 375, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
# How long an action (click, fill, goto) or an expect() assertion waits; Playwright's defaults
# are 30 s and 5 s.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Chromium through Playwright (tests/e2e/); slow"
    )


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the browser tests; each test gets fresh contexts.

    Package scope, not session: Playwright's sync API starts an asyncio event loop in the main
    thread and keeps it marked as running until ``stop()``. While it runs, Django refuses every
    synchronous database call from that thread (SynchronousOnlyOperation) -- the fixtures that
    create data, load the demo or flush the database after a transactional test. The calls are
    safe: the loop only ever runs Playwright's own code, never Django's. So while (and only
    while) the browser is up, DJANGO_ALLOW_ASYNC_UNSAFE switches the check off; the browser
    stops after the last test of tests/e2e, and the rest of the suite keeps Django's check.
    """
    executable = shutil.which("chromium")
    if not executable:
        pytest.fail(
            "The browser tests need Debian's Chromium: no `chromium` on PATH. Run `make chromium`"
            " (or apt-get install -y --no-install-recommends chromium chromium-driver), or skip"
            ' them with -m "not browser". Playwright never downloads a browser here.',
            pytrace=False,
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Restored by the post_migrate handlers after every flush, with new ids (so never dumped):
# other rows refer to them by natural key.
_DUMP_EXCLUDE = ["contenttypes", "auth.permission"]
# XML, not JSON: Django's JSON encoder cuts datetimes to milliseconds, and a deadline due at
# 23:59:59.999999 would come back due at 23:59:59.999 -- no longer the date its rule computes,
# so the case page would show the stored English arithmetic instead of recomputing it in the
# reader's language. The XML serializer keeps every microsecond.
_DUMP_FORMAT = "xml"
# The rows the migrations left (data migrations: the deadline rules of cases 0006), dumped
# when the test database is created: {alias: XML}.
_migrated_rows: dict[str, str] = {}
# One copy of the demo per database and day: {key: (dump before loading, fixture file)}.
_demo_copies: dict[tuple, tuple[str, Path]] = {}


def _dump(using: str = DEFAULT_DB_ALIAS) -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        format=_DUMP_FORMAT,
        natural_foreign=True,
        use_base_manager=True,
        exclude=_DUMP_EXCLUDE,
        database=using,
        stdout=out,
    )
    return out.getvalue()


def _migrated_rows_capture(sender, using: str, **kwargs) -> None:
    """post_migrate handler: dump the database once ``migrate`` has run for the last app, the
    first time only (when the test database is created; every flush sends post_migrate too)."""
    last = [app for app in django_apps.get_app_configs() if app.models_module][-1]
    if sender is last and using not in _migrated_rows:
        _migrated_rows[using] = _dump(using)


def pytest_collection_finish(session) -> None:
    if any(HERE in item.path.parents for item in session.items):
        # Collection ends before the first test creates the test database.
        post_migrate.connect(_migrated_rows_capture, dispatch_uid="tests.e2e.migrated_rows")


def _load(path: Path) -> None:
    call_command("loaddata", str(path), stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _migrated_data(live_server, tmp_path_factory) -> None:
    """Every browser test starts from the rows the migrations left.

    A live-server test is transactional: the database is flushed after each one (and after
    any other transactional test), and a flush deletes what data migrations put there too:
    the deadline rules, without which the demo has no deadlines at all. pytest-django's
    serialized rollback would put them back, but it also reinserts the content types and
    permissions with their old ids, which fails (IntegrityError) after the flush of a test
    without it, where post_migrate has recreated them under new ids.
    """
    rows = _migrated_rows.get(connection.alias)
    if rows is None:
        pytest.fail(
            "tests/e2e: the database was created before tests/e2e/conftest.py could "
            "record what the migrations left",
            pytrace=False,
        )
    path = tmp_path_factory.getbasetemp() / f"migrated-{connection.alias}.{_DUMP_FORMAT}"
    if not path.exists():
        path.write_text(rows, encoding="utf-8")
    _load(path)


@pytest.fixture
def demo(live_server, tmp_path_factory, settings) -> None:
    """The demo data (workspace/demo) in the live server's database: users ala-admin,
    ala-caseworker, ala-viewer, bis-admin, bis-caseworker, bis-viewer and lawyer, password
    ``demo-casetracker``.

    The database is flushed after every live-server test, so the demo is loaded for each test.
    ``load_demo`` takes ~3 s on SQLite and ~4.5 s on PostgreSQL: the first test runs it and
    keeps a dump, later tests load the dump (~0.4 s / ~0.9 s), which gives the very same rows
    (same ids; loaddata resets the PostgreSQL sequences). Only when the database before loading
    is what it was for the first test: otherwise load_demo runs again.
    """
    # pytest-django runs the live server with DEBUG=False, where the demo's public password
    # signs nobody in (casetracker/auth.py); this test database holds nothing but the demo.
    settings.PUBLIC_PASSWORDS = ()
    if not DeadlineRule.objects.exists():
        pytest.fail(
            "The demo needs the deadline rules the migrations seed, and the test "
            "database has none: run pytest with --create-db.",
            pytrace=False,
        )
    key = (connection.alias, connection.settings_dict["NAME"], timezone.localdate())
    before = _dump()
    copy = _demo_copies.get(key)
    if copy and copy[0] == before:
        _load(copy[1])
        return
    # pytest-django runs tests with DEBUG=False, which load_demo refuses without --force.
    call_command("load_demo", force=True, stdout=io.StringIO())
    if copy is None:
        path = tmp_path_factory.mktemp("demo") / f"demo.{_DUMP_FORMAT}"
        path.write_text(_dump(), encoding="utf-8")
        _demo_copies[key] = (before, path)


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., Page]]:
    """``new_page("desktop" | "phone", **context_options)``: a page in a fresh browser context
    (own cookies, so two users can be signed in at once), base URL the live server, language
    en-US unless ``locale=`` says otherwise. At teardown every context is closed and the test
    fails if any of its pages saw a CSP violation, a JS error or a 5xx response."""
    contexts = []

    def make(kind: str = "desktop", **options) -> Page:
        context = browser.new_context(
            **{"base_url": live_server.url, "locale": "en-US", **VIEWPORTS[kind], **options}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append((context, problems_watch(context, live_server.url)))
        return context.new_page()

    yield make
    reports = []
    for context, problems in contexts:
        context.close()  # after close, no more events arrive: the record is complete
        if report := problems.report():
            reports.append(report)
    if reports:
        pytest.fail("Problems in the browser:\n" + "\n".join(reports), pytrace=False)


@pytest.fixture
def desktop(new_page) -> Page:
    """A 1280x900 desktop page (en-US)."""
    return new_page("desktop")


@pytest.fixture
def phone(new_page) -> Page:
    """A 375x740 touch phone page at device scale factor 2 (en-US)."""
    return new_page("phone")
