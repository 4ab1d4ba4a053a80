"""Browser pages of the cases app."""

from django.urls import path, re_path

from cases.views import (
    alerts,
    calendar,
    case_forms,
    case_list,
    deadlines,
    feeds,
    notes,
    proceedings,
)

app_name = "cases"

urlpatterns = [
    path("alerts/", alerts.alert_list, name="alerts"),
    path(
        "alerts/<uuid:alert_id>/acknowledge/",
        alerts.alert_acknowledge_view,
        name="alert_acknowledge",
    ),
    path("cases/", case_list.case_list, name="case_list"),
    path("calendar/", calendar.calendar_month, name="calendar"),
    path("calendar/feed/", feeds.calendar_feed, name="calendar_feed"),
    path("calendar/feed/revoke/", feeds.calendar_feed_revoke_view, name="calendar_feed_revoke"),
    # secrets.token_urlsafe(32) gives 43 characters of the URL-safe base64 alphabet.
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$",
        feeds.calendar_feed_ics,
        name="calendar_feed_ics",
    ),
]

# Forms and actions on cases and their records (through the services).
urlpatterns += [
    path("cases/new/", case_forms.CaseCreate.as_view(), name="case_create"),
    path("cases/<uuid:case_id>/edit/", case_forms.CaseUpdate.as_view(), name="case_update"),
    path("cases/<uuid:case_id>/close/", case_forms.CaseClose.as_view(), name="case_close"),
    path("cases/<uuid:case_id>/reopen/", case_forms.case_reopen_view, name="case_reopen"),
    path(
        "cases/<uuid:case_id>/parties/new/",
        case_forms.CasePartyAdd.as_view(),
        name="case_party_add",
    ),
    path(
        "parties/<uuid:party_id>/remove/",
        case_forms.case_party_remove_view,
        name="case_party_remove",
    ),
    path(
        "cases/<uuid:case_id>/access/new/",
        case_forms.CaseAccessAdd.as_view(),
        name="case_access_add",
    ),
    path(
        "access/<uuid:access_id>/remove/",
        case_forms.case_access_remove_view,
        name="case_access_remove",
    ),
    path(
        "cases/<uuid:case_id>/detentions/new/",
        proceedings.DetentionCreate.as_view(),
        name="detention_create",
    ),
    path(
        "detentions/<uuid:detention_id>/edit/",
        proceedings.DetentionUpdate.as_view(),
        name="detention_update",
    ),
    path(
        "detentions/<uuid:detention_id>/end/",
        proceedings.DetentionEnd.as_view(),
        name="detention_end",
    ),
    path(
        "cases/<uuid:case_id>/extradition-requests/new/",
        proceedings.ExtraditionRequestCreate.as_view(),
        name="extradition_request_create",
    ),
    path(
        "extradition-requests/<uuid:request_id>/edit/",
        proceedings.ExtraditionRequestUpdate.as_view(),
        name="extradition_request_update",
    ),
    path(
        "extradition-requests/<uuid:request_id>/surrender/",
        proceedings.ExtraditionRequestSurrender.as_view(),
        name="extradition_request_surrender",
    ),
    path(
        "extradition-requests/<uuid:request_id>/decisions/new/",
        proceedings.ExtraditionDecisionCreate.as_view(),
        name="extradition_decision_create",
    ),
    path(
        "extradition-decisions/<uuid:decision_id>/edit/",
        proceedings.ExtraditionDecisionUpdate.as_view(),
        name="extradition_decision_update",
    ),
    path(
        "cases/<uuid:case_id>/deadlines/new/",
        deadlines.DeadlineCreate.as_view(),
        name="deadline_create",
    ),
    path(
        "deadlines/<uuid:deadline_id>/override/",
        deadlines.DeadlineOverride.as_view(),
        name="deadline_override",
    ),
    path("deadlines/<uuid:deadline_id>/met/", deadlines.DeadlineMet.as_view(), name="deadline_met"),
    path(
        "deadlines/<uuid:deadline_id>/missed/",
        deadlines.deadline_missed_view,
        name="deadline_missed",
    ),
    path(
        "deadlines/<uuid:deadline_id>/reopen/",
        deadlines.deadline_reopen_view,
        name="deadline_reopen",
    ),
]

# Updates filed on a case and its documents (cases/views/notes.py).
urlpatterns += [
    path("cases/<uuid:case_id>/notes/new/", notes.note_create, name="note_create"),
    path("notes/<uuid:note_id>/edit/", notes.note_edit, name="note_update"),
    path(
        "cases/<uuid:case_id>/documents/new/",
        notes.document_upload_view,
        name="document_upload",
    ),
    path(
        "documents/<uuid:document_id>/download/",
        notes.document_download,
        name="document_download",
    ),
    path(
        "documents/<uuid:document_id>/delete/",
        notes.document_delete_view,
        name="document_delete",
    ),
]
