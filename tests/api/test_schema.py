"""The OpenAPI schema, the interactive docs, and schemathesis against the live schema (issue #4).

The tests read whatever the schema contains when they run: an endpoint added later is listed,
described and fuzzed without a change here.
"""

import contextlib
import io
import re
import time
from collections import Counter

import hypothesis
import pytest
import schemathesis
import werkzeug
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import URLPattern
from drf_spectacular.validation import validate_schema
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.core.failures import FailureGroup

import casetracker.api.urls
from casetracker.api.tokens import api_token_create
from tests.api.conftest import SCHEMATHESIS_SUMMARY
from workspace.demo import demo_load

SCHEMA_URL = "/api/v1/schema/?format=json"
# The host the schemathesis WSGI client sends; in the development ALLOWED_HOSTS.
HOST = "localhost"
BASE_URL = f"http://{HOST}"
METHODS = ("get", "post", "put", "patch", "delete")

# --- the schema ---------------------------------------------------------------------------


def live_schema() -> dict:
    response = APIClient().get(SCHEMA_URL, HTTP_HOST=HOST)
    assert response.status_code == 200
    return response.json()


def api_operations() -> set[tuple[str, str]]:
    """(path, method) of every operation the URL configuration of /api/v1/ serves, as the
    schema spells paths (``{id}`` for a record's UUID)."""
    operations = set()
    for include in casetracker.api.urls.urlpatterns:
        module = include.urlconf_module
        router = getattr(module, "router", None)
        routed = {p.name for p in router.urls} if router else set()
        for prefix, viewset, _basename in router.registry if router else []:
            for route in router.get_routes(viewset):
                url = route.url.strip("^$")
                url = url.replace("{prefix}", prefix).replace("{lookup}", "{id}")
                url = url.replace("{trailing_slash}", router.trailing_slash)
                methods = set(router.get_method_map(viewset, route.mapping))
                # An action may narrow or widen the viewset's methods (``http_method_names``).
                allowed = route.initkwargs.get("http_method_names", viewset.http_method_names)
                for method in methods & set(allowed) & set(METHODS):
                    operations.add((f"/api/v1/{url}", method))
        for pattern in module.urlpatterns:
            if isinstance(pattern, URLPattern) and pattern.name not in routed:
                url = re.sub(r"<(?:\w+:)?\w+>", "{id}", str(pattern.pattern))
                view = pattern.callback.view_class
                for method in METHODS:
                    if method in view.http_method_names and hasattr(view, method):
                        operations.add((f"/api/v1/{url}", method))
    return operations


def test_schema_generates_without_warnings():
    """``manage.py spectacular --validate --fail-on-warn``: a warning means a part of the API
    the schema describes wrongly or not at all (an unknown authentication, a field whose type
    was guessed, two enums under one name)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            call_command(
                "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out
            )
        except Exception as exc:
            pytest.fail(f"{exc}\n{err.getvalue()}")


@pytest.mark.django_db
def test_schema_is_valid_openapi_and_lists_every_endpoint():
    schema = live_schema()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    listed = {(path, method) for path, item in schema["paths"].items() for method in item}
    expected = api_operations()
    assert ("/api/v1/cases/{id}/timeline/", "get") in expected
    assert ("/api/v1/interim-measures/{id}/lift/", "post") in expected
    assert not expected - listed, f"missing from the schema: {sorted(expected - listed)}"
    assert not listed - expected, f"in the schema, not served: {sorted(listed - expected)}"


@pytest.mark.django_db
def test_every_field_and_filter_is_described():
    """Every property of every component, and every query parameter (the filters)."""
    schema = live_schema()
    undescribed = [
        f"{name}.{prop}"
        for name, component in schema["components"]["schemas"].items()
        for prop, spec in component.get("properties", {}).items()
        if not spec.get("description", "").strip()
    ]
    assert not undescribed, f"properties without a description: {undescribed}"
    parameters = [
        f"{method.upper()} {path} {param['in']}:{param['name']}"
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        for param in operation.get("parameters", [])
        if param["in"] == "query" and not param.get("description", "").strip()
    ]
    assert not parameters, f"filters without a description: {parameters}"


@pytest.mark.django_db
def test_schema_declares_both_ways_to_sign_in():
    schemes = live_schema()["components"]["securitySchemes"]
    kinds = {(s["type"], s.get("scheme", s.get("in"))) for s in schemes.values()}
    assert ("http", "bearer") in kinds, schemes
    assert ("apiKey", "cookie") in kinds, schemes


# --- the docs -----------------------------------------------------------------------------


def test_docs_are_served_with_our_own_assets(client):
    response = client.get("/api/v1/docs/", HTTP_HOST=HOST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"(https?:)?//[\w.-]+\.[a-z]{2,}", html), "the docs name another host"
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    # The page's own settings script comes from the docs view (no inline script: the CSP).
    scripts = [a for a in assets if not a.startswith("/static/")]
    assert scripts == ["/api/v1/docs/?script="], scripts
    for asset in set(assets) - set(scripts):
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"
    assert client.get(scripts[0], HTTP_HOST=HOST)["Content-Type"].startswith(
        "application/javascript"
    )


# --- schemathesis -------------------------------------------------------------------------

CHECKS = [not_a_server_error, response_schema_conformance]
# Examples per operation: enough to reach every parameter, few enough for a run of well under
# two minutes. Derandomized: the same examples on every run, so a failure reproduces.
MAX_EXAMPLES = 10
# Writes last, deletes after all: reads see the demo data whole.
ORDER = {"get": 0, "post": 1, "put": 2, "patch": 2, "delete": 3}


@pytest.fixture
def wsgi_app():
    """Django as a WSGI application inside the test's transaction.

    Django closes the database connection at the start and end of every request it serves
    (``close_old_connections``); inside a test's transaction that would lose the test data (on
    PostgreSQL; SQLite's in-memory test database survives it). Django's own test client
    disconnects the same handlers for the same reason, but connects them again after each of
    its requests: do not use it while this fixture is active.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def demo_token(db, settings, tmp_path) -> str:
    """The demo data (fictional, shaped like DESIGN §1) and an API token of the ALA admin, who
    sees every ALA case."""
    settings.MEDIA_ROOT = tmp_path
    # A thousand requests in seconds: the rate limit (tests/api/test_throttling.py) would
    # answer most of them 429 and the fuzzer would reach no handler.
    settings.API_THROTTLE_RATES = {"token": None, "ip": None}
    demo_load()
    user = get_user_model().objects.get(username="ala-admin")
    _token, key = api_token_create(acting_user=user, user=user, name="schemathesis")
    return key


def known_ids(operations, auth: dict[str, str], app) -> dict[str, list[str]]:
    """The ids of each resource's records, read through the API, so that fuzzed detail
    requests reach real records as well as missing ones.

    Read through the WSGI application, not Django's test client: the test client connects
    ``close_old_connections`` again after each request it makes (see ``wsgi_app``).
    """
    client = werkzeug.Client(app)
    ids: dict[str, list[str]] = {}
    for operation in operations:
        resource = operation.path.split("/")[3]
        if operation.method.lower() == "get" and operation.path == f"/api/v1/{resource}/":
            response = client.get(
                operation.path, query_string={"page_size": 200}, headers=auth, base_url=BASE_URL
            )
            assert response.status_code == 200, response.text
            # In the API's order (newest first), not by UUID: the demo's UUIDs are new on every
            # run, its order is not, so the derandomized examples reach the same records.
            ids[resource] = [row["id"] for row in response.json["results"]]
    return ids


def strategy_for(operation, ids: list[str]):
    positive = operation.as_strategy()
    negative = operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE)
    if "{id}" not in operation.path or not ids:
        return st.one_of(positive, negative)
    existing = st.sampled_from(ids).flatmap(
        lambda pk: operation.as_strategy(path_parameters={"id": pk})
    )
    return st.one_of(existing, positive, negative)


class Fuzz:
    """One schemathesis run: its counters and failures, one operation at a time."""

    def __init__(self, auth: dict[str, str], ids: dict[str, list[str]]) -> None:
        self.auth, self.ids = auth, ids
        self.statuses: Counter[str] = Counter()
        self.failures: list[str] = []
        self.failed: Counter[str] = Counter()
        self.refused_anonymous = 0

    def operation(self, operation) -> None:
        probed = False
        resource_ids = self.ids.get(operation.path.split("/")[3], [])

        @hypothesis.settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.generate],
        )
        @hypothesis.given(case=strategy_for(operation, resource_ids))
        def run(case) -> None:
            nonlocal probed
            if not probed and case.meta.generation.mode == schemathesis.GenerationMode.POSITIVE:
                probed = True
                self.without_credentials(case)
            response = case.call(headers=self.auth)
            self.statuses[f"{response.status_code // 100}xx"] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=self.auth)
            except FailureGroup as group:
                self.fail(operation, str(group))

        run()
        if not probed:
            self.fail(operation, "no valid request to send without credentials")

    def fail(self, operation, message: str) -> None:
        """Keep the first failure of each operation; its next ones are most often the same."""
        self.failed[operation.label] += 1
        if self.failed[operation.label] == 1:
            self.failures.append(f"{operation.label}: {message}")

    def without_credentials(self, case) -> None:
        response = case.call()
        if response.status_code == 401:
            self.refused_anonymous += 1
        else:
            self.fail(
                case.operation,
                f"answered {response.status_code} without credentials\n{case.as_curl_command()}",
            )


def test_schemathesis(demo_token, wsgi_app, pytestconfig):
    """No server error, responses that match the schema, and no answer without credentials,
    on every operation of the live schema."""
    started = time.monotonic()
    auth = {"Authorization": f"Bearer {demo_token}"}
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, wsgi_app)
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: (ORDER[op.method.lower()], op.path),
    )
    fuzz = Fuzz(auth, known_ids(operations, auth, wsgi_app))
    for operation in operations:
        fuzz.operation(operation)

    requests = sum(fuzz.statuses.values())
    failures = fuzz.failures
    pytestconfig.stash[SCHEMATHESIS_SUMMARY] = [
        f"schemathesis {schemathesis.__version__} against {SCHEMA_URL} (WSGI, demo data, "
        f"token of ala-admin), {time.monotonic() - started:.0f} s",
        f"{len(operations)} operations, {requests} requests "
        f"({', '.join(f'{k}: {v}' for k, v in sorted(fuzz.statuses.items()))}), "
        f"{requests * len(CHECKS)} checks ({', '.join(c.__name__ for c in CHECKS)})",
        f"{fuzz.refused_anonymous} of {len(operations)} operations refuse a request without "
        "credentials (401)",
        f"{sum(fuzz.failed.values())} failures in {len(failures)} operations"
        + (":" if failures else ""),
        *(line for failure in failures[:10] for line in failure.splitlines()),
    ]
    assert len(operations) >= 40
    assert not failures, "\n\n".join(failures[:10])
