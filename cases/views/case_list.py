"""The case list: filters and search (``CaseFilterSet``, shared with the API), 50 a page.

A plain GET form without JavaScript; with HTMX the results are swapped as the filters change
and the address follows them (``hx-push-url``). Three queries for the rows whatever their
number: the count, the page of cases (next deadline and open alerts as subqueries), and the
principals of the page's cases.
"""

import zoneinfo

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from cases.choices import CaseStatus, PartyRole
from cases.filtersets import CaseFilterSet
from cases.models import Alert, Case, CaseParty, Deadline
from casetracker.pages import is_htmx, private
from organisations.models import Membership, Organisation

CASES_PER_PAGE = 50


def _with_columns(cases):
    """Each case with its principals, its next open deadline and its count of new alerts."""
    next_deadline = Deadline.objects.open().filter(case=OuterRef("pk")).order_by("due_at", "pk")[:1]
    open_alerts = (
        Alert.objects.filter(case=OuterRef("pk"), acknowledged_at__isnull=True)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    principals = CaseParty.objects.filter(role=PartyRole.PRINCIPAL).select_related("person")
    return (
        cases.select_related("lead")
        .annotate(
            next_due_at=Subquery(next_deadline.values("due_at")),
            next_due_tz=Subquery(next_deadline.values("timezone")),
            next_deadline_id=Subquery(next_deadline.values("pk")),
            open_alerts=Coalesce(Subquery(open_alerts, output_field=IntegerField()), 0),
        )
        .prefetch_related(
            Prefetch(
                "case_parties",
                principals.order_by("person__family_name", "person__given_name", "pk"),
                to_attr="principals",
            )
        )
        .order_by("-opened_on", "reference", "pk")
    )


@login_required
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = CaseFilterSet(request.GET, queryset=Case.objects.visible_to(user), request=request)
    # An invalid filter (``status=bogus``) is named above the results, and leaves them empty
    # rather than silently unfiltered.
    cases = _with_columns(filters.qs) if filters.is_valid() else Case.objects.none()
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    for case in page.object_list:
        # The due day in the deadline's own time zone, as everywhere else.
        if case.next_due_at is not None:
            case.next_due_date = case.next_due_at.astimezone(
                zoneinfo.ZoneInfo(case.next_due_tz)
            ).date()
            case.next_due_overdue = case.next_due_at < now
    organisations = list(Organisation.objects.visible_to(user).order_by("name"))
    context = {
        "filters": filters,
        "page": page,
        "statuses": CaseStatus.choices,
        # The organisation filter matters only to someone in several organisations.
        "organisations": organisations if len(organisations) > 1 else [],
        "may_open_cases": Membership.objects.filter(
            user=user, role__in=Membership.STAFF_ROLES
        ).exists(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
    }
    template = "cases/_case_results.html" if is_htmx(request) else "cases/case_list.html"
    response = render(request, template, context, status=200 if filters.is_valid() else 400)
    patch_vary_headers(response, ["HX-Request"])
    return private(response)
