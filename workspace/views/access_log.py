"""The access log (issue #10): who read what, when, from where, for an organisation's admins;
filterable, and exported as CSV (the export is itself logged, as channel "export")."""

import csv
import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from casetracker.access_log import access_note
from casetracker.models import AccessChannel
from casetracker.pages import private
from organisations.selectors import reads_access_log
from workspace.selectors import access_log_visible_to

PER_PAGE = 100
EXPORT_MAX = 100_000
COLUMNS = (
    "at",
    "username",
    "channel",
    "denied",
    "status",
    "method",
    "path",
    "query",
    "record",
    "object_id",
    "case_id",
    "person_id",
    "ip",
    "user_agent",
)


class AccessLogFilter(forms.Form):
    user = forms.CharField(label=gettext_lazy("User"), required=False, max_length=150)
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        required=False,
        choices=[("", gettext_lazy("any")), *AccessChannel.choices],
    )
    denied = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        required=False,
        choices=[
            ("", gettext_lazy("any")),
            ("no", gettext_lazy("read")),
            ("yes", gettext_lazy("denied")),
        ],
    )
    case = forms.UUIDField(label=gettext_lazy("Case (id)"), required=False)
    person = forms.UUIDField(label=gettext_lazy("Person (id)"), required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False)
    until = forms.DateField(label=gettext_lazy("To"), required=False)

    def filter(self, entries):
        data = self.cleaned_data
        if data["user"]:
            entries = entries.filter(username=data["user"])
        if data["channel"]:
            entries = entries.filter(channel=data["channel"])
        if data["denied"]:
            entries = entries.filter(denied=data["denied"] == "yes")
        if data["case"]:
            entries = entries.filter(case_id=data["case"])
        if data["person"]:
            entries = entries.filter(person_id=data["person"])
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
        return entries


def _require_admin(request: HttpRequest) -> None:
    if not reads_access_log(request.user):
        raise PermissionDenied(_("Only an organisation's admins may read its access log."))


def _filtered(request: HttpRequest) -> tuple[AccessLogFilter, object]:
    form = AccessLogFilter(request.GET)
    entries = access_log_visible_to(request.user)
    entries = form.filter(entries) if form.is_valid() else entries.none()
    return form, entries.order_by("-at", "-id")


@login_required
@require_safe
def access_log(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form, entries = _filtered(request)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    status = 400 if form.errors else 200
    return private(render(request, "workspace/access_log.html", context, status=status))


def _cell(value):
    return value.isoformat() if isinstance(value, datetime.datetime) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_safe
def access_log_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV; this export is itself an entry of the log."""
    _require_admin(request)
    form, entries = _filtered(request)
    if form.errors:
        return private(
            render(request, "workspace/access_log.html", {"form": form, "page": None}, status=400)
        )
    access_note(request, channel=AccessChannel.EXPORT, record="accesslog")
    writer = csv.writer(_Echo())
    rows = entries.values_list(*COLUMNS)[:EXPORT_MAX]

    def lines():
        yield writer.writerow(COLUMNS)
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return private(response)
