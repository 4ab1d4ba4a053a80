"""Browser pages of the cases app."""

from django.urls import path, re_path

from cases.views import alerts, feeds

app_name = "cases"

urlpatterns = [
    path("alerts/", alerts.alert_list, name="alerts"),
    path(
        "alerts/<uuid:alert_id>/acknowledge/",
        alerts.alert_acknowledge_view,
        name="alert_acknowledge",
    ),
    path("calendar/feed/", feeds.calendar_feed, name="calendar_feed"),
    path("calendar/feed/revoke/", feeds.calendar_feed_revoke_view, name="calendar_feed_revoke"),
    # secrets.token_urlsafe(32) gives 43 characters of the URL-safe base64 alphabet.
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$",
        feeds.calendar_feed_ics,
        name="calendar_feed_ics",
    ),
]
