"""The read audit (issue #10, ASVS 16.3): every read of case data by anyone, through the pages,
the API, the admin, the calendar feed or an export, leaves an ``AccessLogEntry``; so does every
refused attempt (403, or the 404 a hidden record answers), marked ``denied``.

``AccessLogMiddleware`` writes the entries after the view answered, in one INSERT per request
whatever the number of rows: an API list gets one entry per row it returned (``bulk_create``),
a page one entry naming the record of its address. What a request read is taken from its
address (``case_id``, ``person_id`` and the other ``<record>_id`` parts of the URL, an API
detail's ``pk``) and from an API answer's rows (their ``id``, ``case`` and ``person``); a view
may add to it with ``access_note`` (the feed's owner, an export's channel).

Not logged: what shows no case data (signing in and out, the account pages, the language
switch, the health check, the API schema and docs, static files, the admin's index and sign-in,
the backups page: its runs, never an archive).
"""

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse

from casetracker.models import AccessChannel, AccessLogEntry

# Routes (URL names, namespaced) that show no case data.
NOT_LOGGED = frozenset(
    {
        "login",
        "logout",
        "verify",
        "language_set",
        "health",
        "account",
        "account_token_revoke",
        "account_mfa",
        "account_mfa_codes",
        "account_sign_out_everywhere",
        "backups",
        "backup_runs",
        "backup_start",
        "api-schema",
        "api-docs",
        "admin:index",
        "admin:login",
        "admin:logout",
        "admin:jsi18n",
        "admin:password_change",
        "admin:password_change_done",
    }
)
READS = ("GET", "HEAD")
DENIED = (403, 404)
ROWS_MAX = 1000  # entries one list request may write (a page of the API holds at most 200)


def access_note(request: HttpRequest, **facts: Any) -> None:
    """Tell the audit what the view read beyond its address: ``user`` (whom a feed belongs
    to), ``channel`` (``export``), ``record``/``object_id``, ``case_id``, ``person_id``."""
    request = getattr(request, "_request", request)  # a DRF request wraps the HttpRequest
    if not hasattr(request, "_access_facts"):
        request._access_facts = {}
    request._access_facts.update(facts)


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return "" if match is None else (match.view_name or "")


def _channel(request: HttpRequest) -> str:
    if request.path.startswith("/api/"):
        return AccessChannel.API
    if request.path.startswith("/admin/"):
        return AccessChannel.ADMIN
    return AccessChannel.PAGE


def _uuid(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _from_address(request: HttpRequest) -> dict[str, Any]:
    """What the URL names: its case, its person, and its most specific record."""
    kwargs = getattr(getattr(request, "resolver_match", None), "kwargs", {}) or {}
    facts: dict[str, Any] = {}
    for name, value in kwargs.items():
        if name == "case_id":
            facts["case_id"] = _uuid(value)
        elif name == "person_id":
            facts["person_id"] = _uuid(value)
        if name.endswith("_id") or name == "pk":
            facts["record"] = name.removesuffix("_id") if name != "pk" else ""
            facts["object_id"] = str(value)[:64]
    api_model = _api_model(request)
    if api_model is not None and "pk" in kwargs:
        facts["record"] = api_model
        if api_model == "case":
            facts["case_id"] = _uuid(kwargs["pk"])
        elif api_model == "person":
            facts["person_id"] = _uuid(kwargs["pk"])
    if request.path.startswith("/admin/") and "object_id" in kwargs:
        facts["record"] = _route(request).removeprefix("admin:").rsplit("_", 1)[0]
    return facts


def _api_model(request: HttpRequest) -> str | None:
    view = getattr(getattr(request, "resolver_match", None), "func", None)
    queryset = getattr(getattr(view, "cls", None), "queryset", None)
    return None if queryset is None else queryset.model._meta.model_name


def _from_answer(response: HttpResponse) -> dict[str, Any]:
    """Whose file an API detail answer belongs to (its ``case`` and ``person``)."""
    data = getattr(response, "data", None)
    if not isinstance(data, dict):
        return {}
    facts = {}
    for field in ("case", "person"):
        value = _uuid(data.get(field))
        if value is not None:
            facts[f"{field}_id"] = value
    return facts


def _rows(response: HttpResponse) -> list[dict] | None:
    """The rows of an API list answer (``results``), or None for another answer."""
    data = getattr(response, "data", None)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        # Rows of records (with an id); a case timeline's entries are one read of the case.
        rows = [row for row in data["results"] if isinstance(row, dict) and "id" in row]
        return rows or None
    return None


class AccessLogMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Inside the request: if the entry cannot be written the answer is an error, not a read
        # that nobody can trace.
        self._record(request, response)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        route = _route(request)
        if not route or route in NOT_LOGGED or request.path.startswith("/static/"):
            return
        denied = response.status_code in DENIED
        if request.method not in READS and not denied:
            return  # a write is on the case timeline already
        if not (200 <= response.status_code < 300 or denied):
            return  # a redirect, a bad request or an error read nothing
        facts = getattr(request, "_access_facts", {})
        user = facts.get("user") or getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        base = {
            "user_id": user.pk,
            "username": user.get_username()[:150],
            "channel": facts.get("channel", _channel(request)),
            "denied": denied,
            "status": response.status_code,
            "method": request.method[:10],
            "route": route[:200],
            "path": request.path[:500],
            "query": request.META.get("QUERY_STRING", "")[:500],
            "ip": request.META.get("REMOTE_ADDR") or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        }
        address = {**_from_address(request), **_from_answer(response), **facts}
        address.pop("user", None)
        address.pop("channel", None)
        rows = None if denied else _rows(response)
        if rows:
            model = _api_model(request) or ""
            entries = [
                AccessLogEntry(**base, **self._row_facts(model, row)) for row in rows[:ROWS_MAX]
            ]
        else:
            entries = [AccessLogEntry(**base, **address)]
        AccessLogEntry.objects.bulk_create(entries)

    @staticmethod
    def _row_facts(model: str, row: dict) -> dict[str, Any]:
        row_id = row.get("id")
        return {
            "record": model,
            "object_id": str(row_id or "")[:64],
            "case_id": _uuid(row_id) if model == "case" else _uuid(row.get("case")),
            "person_id": _uuid(row_id) if model == "person" else _uuid(row.get("person")),
        }
