"""The API tests' report: test_schema.py's schemathesis run leaves its summary in the session's
stash, and it is printed at the end of the run (issue #4: "the run's summary is in the test
output"), whether or not pytest captures output.

``EndpointMatrix.test_verb`` runs once per verb the class declares and per user; a class
without verbs has no such test."""

import pytest

SCHEMATHESIS_SUMMARY = pytest.StashKey[list[str]]()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    lines = config.stash.get(SCHEMATHESIS_SUMMARY, None)
    if lines:
        terminalreporter.write_sep("=", "schemathesis")
        for line in lines:
            terminalreporter.write_line(line)


def pytest_generate_tests(metafunc) -> None:
    if metafunc.function.__name__ == "test_verb":
        from tests.api.matrix import USERS

        verbs = getattr(metafunc.cls, "verbs", {})
        metafunc.parametrize(("verb", "who"), [(v, w) for v in verbs for w in USERS])


def pytest_collection_modifyitems(items) -> None:
    # A matrix without verbs: no verb test, rather than a skipped one per user.
    items[:] = [
        item
        for item in items
        if not (item.originalname == "test_verb" and not getattr(item.cls, "verbs", None))
    ]
