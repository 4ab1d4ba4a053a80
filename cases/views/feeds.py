"""The private calendar feed: create, regenerate or revoke it, and the feed itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.feeds import deadlines_calendar
from cases.models import CalendarFeed, Deadline
from cases.services import (
    calendar_feed_create,
    calendar_feed_regenerate,
    calendar_feed_revoke,
    calendar_feed_use,
)
from casetracker.access_log import access_note
from casetracker.models import AccessChannel
from casetracker.pages import private, safe_next


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Whether the user has a feed; create or regenerate it. The new address is shown in the
    response to the POST, once: only its hash is stored, so it cannot be shown again."""
    token = None
    if request.method == "POST":
        services = {"create": calendar_feed_create, "regenerate": calendar_feed_regenerate}
        service = services.get(request.POST.get("action", ""))
        if service is None:
            return HttpResponseBadRequest(_("Choose “create” or “regenerate”."))
        try:
            token = service(acting_user=request.user)[1]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("cases:calendar_feed")
    feed = CalendarFeed.objects.active().filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("cases:calendar_feed_ics", args=[token]))
        if token
        else None
    )
    context = {
        "feed": feed,
        "feed_url": feed_url,
        # The same address for calendar apps that subscribe through a link.
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else None,
    }
    return private(render(request, "cases/calendar_feed.html", context))


@login_required
@require_POST
def calendar_feed_revoke_view(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.objects.active().filter(user=request.user).first()
    if feed is not None:
        calendar_feed_revoke(acting_user=request.user, feed=feed)
        messages.success(request, _("Your calendar feed is revoked: its address no longer works."))
    # Back to the page the button was on (the calendar has one too).
    return redirect(safe_next(request, reverse("cases:calendar_feed")))


@require_safe
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, fetched by calendar apps without a session: the token is the key.

    Three queries whatever the number of deadlines: the feed, its last-used stamp, the
    deadlines with their cases and rules.
    """
    feed = calendar_feed_use(token=token)
    if feed is None:
        # Unknown, revoked, or its user disabled: one answer for all. Plain text, not the site's
        # 404 page: a calendar app reads it, and the page would echo the address (the token).
        return private(
            HttpResponseNotFound(
                _("No such calendar feed."), content_type="text/plain; charset=utf-8"
            )
        )
    access_note(
        request,
        user=feed.user,
        channel=AccessChannel.FEED,
        record="calendarfeed",
        object_id=str(feed.pk),
    )
    deadlines = (
        Deadline.objects.visible_to(feed.user)
        .open()
        .select_related("case", "rule")
        .order_by("due_at", "pk")
    )
    host = split_domain_port(request.get_host())[0]
    response = HttpResponse(
        deadlines_calendar(deadlines, host=host), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="casetracker.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return private(response)
