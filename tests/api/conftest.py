"""The API tests' report: test_schema.py's schemathesis run leaves its summary in the session's
stash, and it is printed at the end of the run (issue #4: "the run's summary is in the test
output"), whether or not pytest captures output."""

import pytest

SCHEMATHESIS_SUMMARY = pytest.StashKey[list[str]]()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    lines = config.stash.get(SCHEMATHESIS_SUMMARY, None)
    if lines:
        terminalreporter.write_sep("=", "schemathesis")
        for line in lines:
            terminalreporter.write_line(line)
