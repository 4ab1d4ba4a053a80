"""The alerts inbox, and acknowledging an alert (inline with HTMX, or a plain POST).

Every read goes through ``visible_to``; an alert the user may not see answers 404, exactly like
one that does not exist (DESIGN §3). The dashboard lists new alerts with the same row and the
same acknowledge form (``cases/_alert_row.html``), posting to the same view.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, ExpressionWrapper, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.choices import AlertKind, AlertLevel
from cases.models import Alert
from cases.services.alerts import alert_acknowledge
from casetracker.pages import is_htmx, private, safe_next
from casetracker.selectors import visible_get

ALERTS_PER_PAGE = 50
# ``?show=``: the inbox's two views.
SHOW_NEW, SHOW_ALL = "new", "all"


def alerts_by_priority(alerts):
    """What needs attention first: a breach of an interim measure (someone may already have
    been removed), then critical before warning before information, then the newest."""
    breach_first = Case(
        When(kind=AlertKind.INTERIM_MEASURE_BREACH, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    level_rank = Case(
        When(level=AlertLevel.CRITICAL, then=Value(0)),
        When(level=AlertLevel.WARNING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return alerts.alias(breach_first=breach_first, level_rank=level_rank).order_by(
        "breach_first", "level_rank", "-created_at", "pk"
    )


@login_required
@require_safe
def alert_list(request: HttpRequest) -> HttpResponse:
    """The alerts inbox: new alerts first (breaches first among them), then acknowledged ones,
    newest first within each group. ``?show=new`` leaves the acknowledged ones out."""
    show = SHOW_NEW if request.GET.get("show") == SHOW_NEW else SHOW_ALL
    alerts = Alert.objects.visible_to(request.user).select_related("case", "acknowledged_by")
    if show == SHOW_NEW:
        alerts = alerts.unacknowledged()
    acknowledged = ExpressionWrapper(Q(acknowledged_at__isnull=False), output_field=BooleanField())
    breach_first = Case(
        When(kind=AlertKind.INTERIM_MEASURE_BREACH, acknowledged_at__isnull=True, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    alerts = alerts.alias(acknowledged=acknowledged, breach_first=breach_first).order_by(
        "acknowledged", "breach_first", "-created_at", "pk"
    )
    page = Paginator(alerts, ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "show": show, "SHOW_NEW": SHOW_NEW, "SHOW_ALL": SHOW_ALL}
    return private(render(request, "cases/alerts.html", context))


def _return_url(request: HttpRequest) -> str:
    """Back where the form was: its ``next`` when that is an address of this site, else the
    inbox's page ``page``."""
    inbox = reverse("cases:alerts")
    page = request.POST.get("page", "")
    return safe_next(request, f"{inbox}?page={page}" if page.isdigit() else inbox)


@login_required
@require_POST
def alert_acknowledge_view(request: HttpRequest, alert_id) -> HttpResponse:
    """Acknowledge one alert. With HTMX the answer is its row, now acknowledged, to swap in
    place; without, a redirect back to the page the form was on."""
    alert = visible_get(
        user=request.user,
        queryset=Alert.objects.select_related("case", "person", "acknowledged_by"),
        pk=alert_id,
    )
    alert = alert_acknowledge(acting_user=request.user, alert=alert)
    if is_htmx(request):
        # The row, and the header's unread count out of band.
        context = {"alert": alert, "oob_badge": True}
        return private(render(request, "cases/_alert_row.html", context))
    messages.success(request, _("Alert acknowledged."))
    return redirect(_return_url(request))
