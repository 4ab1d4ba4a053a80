"""Every browser page has its permission matrix and query budget (DESIGN §9, issue #5): a page
whose URL name no PageMatrix or ActionMatrix subclass declares fails here."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests
from tests.pages.matrix import ActionMatrix, PageMatrix

# Addresses that are not pages of case data, each with the test that covers it instead.
EXEMPT = {
    "health": "tests/casetracker/test_deploy.py: no session, no case data",
    "language_set": "tests/casetracker/test_language.py: anyone may choose a language",
    "login": "tests/e2e/test_login.py and django.contrib.auth's own tests",
    "logout": "django.contrib.auth",
    "cases:calendar_feed_ics": "tests/cases/test_feeds.py: the token is the key, no session",
    "verify": "tests/casetracker/test_mfa.py: the second step of signing in, for every state",
    "account_mfa_codes": "tests/casetracker/test_mfa.py: one's own codes, after the second step",
}


def _names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name in {"admin"} or str(pattern.pattern).startswith("api/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            if str(pattern.pattern).startswith("api/"):
                continue
            names.add(f"{namespace}{pattern.name}")
    return names


def _covered() -> set[str]:
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if not module.name.startswith("tests.e2e"):
            importlib.import_module(module.name)
    covered = set()
    stack = [PageMatrix, ActionMatrix]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            if cls.url_name:
                covered.add(cls.url_name)
    return covered


def test_every_page_has_a_permission_matrix():
    pages = _names(get_resolver().url_patterns) - set(EXEMPT)
    missing = sorted(pages - _covered())
    assert not missing, f"pages without a PageMatrix/ActionMatrix test class: {missing}"
