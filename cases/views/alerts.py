"""The alerts inbox: unacknowledged first, and acknowledging (inline with HTMX, or a plain POST).

Every read goes through ``visible_to``; an alert the user may not see answers 404, exactly like
one that does not exist (DESIGN §3).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cases.models import Alert
from cases.services.alerts import alert_acknowledge
from casetracker.pages import private

ALERTS_PER_PAGE = 50


@login_required
@require_safe
def alert_list(request: HttpRequest) -> HttpResponse:
    """The alerts inbox: unacknowledged first, newest first within each group."""
    acknowledged = ExpressionWrapper(Q(acknowledged_at__isnull=False), output_field=BooleanField())
    alerts = (
        Alert.objects.visible_to(request.user)
        .select_related("case", "acknowledged_by")
        .order_by(acknowledged, "-created_at", "pk")
    )
    page = Paginator(alerts, ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    return private(render(request, "cases/alerts.html", {"page": page}))


@login_required
@require_POST
def alert_acknowledge_view(request: HttpRequest, alert_id) -> HttpResponse:
    alert = get_object_or_404(
        Alert.objects.visible_to(request.user).select_related("case", "person"), pk=alert_id
    )
    alert_acknowledge(acting_user=request.user, alert=alert)
    messages.success(request, _("Alert acknowledged."))
    url = reverse("cases:alerts")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)
