"""Admin for a case's records: detentions, extradition proceedings, notes, documents, and
the read-only timeline."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from cases.access import CaseAction
from cases.admin.base import CaseRecordAdmin
from cases.choices import RequestStatus
from cases.models import (
    CaseEvent,
    Detention,
    Document,
    ExtraditionDecision,
    ExtraditionRequest,
    Note,
)
from cases.services import (
    detention_create,
    detention_end,
    detention_update,
    document_delete,
    document_upload,
    extradition_decision_record,
    extradition_decision_update,
    extradition_request_create,
    extradition_request_surrender,
    extradition_request_update,
    note_file,
    note_update,
)
from cases.services.proceedings import DECISION_FIELDS, DETENTION_FIELDS, REQUEST_FIELDS
from casetracker.admin_base import TIMESTAMPS
from people.access import FieldRules


@admin.register(Detention)
class DetentionAdmin(CaseRecordAdmin):
    add_fields = (
        "case",
        "person",
        "basis",
        "facility",
        "location",
        "authority",
        "started_on",
        "ended_on",
        "end_reason",
        "notes",
    )
    change_fields = (*add_fields, *TIMESTAMPS)
    update_fields = DETENTION_FIELDS
    list_display = ("person", "case", "basis", "facility", "started_on", "ended_on", "end_reason")
    list_filter = ("basis", "end_reason", "started_on")
    list_select_related = ("person", "case")
    search_fields = ("person__family_name", "person__given_name", "facility", "case__reference")
    date_hierarchy = "started_on"
    autocomplete_fields = ("case", "person")

    def service_create(self, request, data):
        return detention_create(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        user = request.user
        if obj.ended_on is None and changes.get("ended_on"):
            # Ending a detention is its own verb: under an interim measure it may be a breach.
            ended_on = changes.pop("ended_on")
            end_reason = changes.pop("end_reason", obj.end_reason)
            if changes:
                detention_update(acting_user=user, detention=obj, **changes)
            return detention_end(
                acting_user=user, detention=obj, ended_on=ended_on, end_reason=end_reason
            )
        return detention_update(acting_user=user, detention=obj, **changes)


@admin.register(ExtraditionRequest)
class ExtraditionRequestAdmin(CaseRecordAdmin):
    add_fields = ("case", "person", *REQUEST_FIELDS)
    change_fields = (*add_fields, "surrendered_on", *TIMESTAMPS)
    update_fields = (*REQUEST_FIELDS, "surrendered_on")
    list_display = (
        "person",
        "requesting_state",
        "requested_state",
        "received_on",
        "status",
        "surrendered_on",
        "case",
    )
    list_filter = ("status", "treaty", "received_on")
    list_select_related = ("person", "case")
    search_fields = ("person__family_name", "person__given_name", "reference", "case__reference")
    date_hierarchy = "received_on"
    autocomplete_fields = ("case", "person")

    def service_create(self, request, data):
        return extradition_request_create(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        user = request.user
        if changes.get("status") == RequestStatus.SURRENDERED:
            # A surrender is its own verb: under an interim measure it is a breach.
            del changes["status"]
            surrendered_on = changes.pop("surrendered_on", None)
            if changes:
                extradition_request_update(acting_user=user, request=obj, **changes)
            return extradition_request_surrender(
                acting_user=user, request=obj, surrendered_on=surrendered_on
            )
        return extradition_request_update(acting_user=user, request=obj, **changes)


@admin.register(ExtraditionDecision)
class ExtraditionDecisionAdmin(CaseRecordAdmin):
    add_fields = ("request", *DECISION_FIELDS)
    change_fields = (*add_fields, *TIMESTAMPS)
    update_fields = DECISION_FIELDS
    write_action = CaseAction.FILE
    list_display = ("request", "stage", "outcome", "decided_on", "served_on", "body")
    list_filter = ("stage", "outcome", "decided_on")
    list_select_related = ("request__person",)
    search_fields = ("request__person__family_name", "body", "request__case__reference")
    date_hierarchy = "decided_on"
    autocomplete_fields = ("request",)

    def service_create(self, request, data):
        return extradition_decision_record(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        return extradition_decision_update(acting_user=request.user, decision=obj, **changes)


@admin.register(Note)
class NoteAdmin(CaseRecordAdmin):
    add_fields = ("case", "occurred_on", "body", "documents")
    change_fields = (*add_fields, "author", *TIMESTAMPS)
    update_fields = ("occurred_on", "body", "documents")
    write_action = CaseAction.FILE
    list_display = ("occurred_on", "case", "excerpt", "author")
    list_filter = ("occurred_on",)
    list_select_related = ("case", "author")
    search_fields = ("case__reference",)  # the body is encrypted: nothing can search it
    date_hierarchy = "occurred_on"
    autocomplete_fields = ("case", "documents")

    def action_on(self, request, obj):
        # note_update: the author corrects their own update with the right to file.
        return CaseAction.FILE if obj.author_id == request.user.pk else CaseAction.EDIT

    @admin.display(description=gettext_lazy("text"))
    def excerpt(self, obj: Note) -> str:
        return obj.body[:80]

    def service_create(self, request, data):
        return note_file(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        return note_update(acting_user=request.user, note=obj, **changes)


@admin.register(Document)
class DocumentAdmin(CaseRecordAdmin):
    """Uploads go through document_upload (size and type checked). The file has no link here:
    documents are served only by an access-checked view, never by a public URL."""

    add_fields = ("case", "file", "title", "kind")
    change_fields = (
        "case",
        "title",
        "kind",
        "filename",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "created_at",
    )
    # No service changes a document: delete it and upload it again.
    can_update = False
    write_action = CaseAction.FILE
    list_display = ("title", "case", "kind", "filename", "size", "uploaded_by", "created_at")
    list_filter = ("kind", "created_at")
    list_select_related = ("case", "uploaded_by")
    search_fields = ("title", "filename", "case__reference")
    date_hierarchy = "created_at"
    autocomplete_fields = ("case",)

    def service_create(self, request, data):
        return document_upload(acting_user=request.user, **data)

    def service_delete(self, request, obj):
        document_delete(acting_user=request.user, document=obj)


@admin.register(CaseEvent)
class CaseEventAdmin(CaseRecordAdmin):
    """The timeline, read-only: the services append events; nobody changes or removes one."""

    change_fields = (
        "at",
        "kind",
        "organisation",
        "case",
        "person",
        "actor",
        "subject_type",
        "subject_id",
        "subject_repr",
        "changes",
    )
    readonly_fields = ("changes",)
    can_create = can_update = can_delete = False
    list_display = ("at", "kind", "subject_repr", "case", "person", "actor")
    list_filter = ("kind", "at")
    list_select_related = ("case", "person", "actor")
    search_fields = ("subject_repr",)
    date_hierarchy = "at"

    def get_object(self, request, object_id, from_field=None):
        event = super().get_object(request, object_id, from_field)
        if event is not None:
            # The stored before/after values hold whatever the record held, a phone number
            # too: shown only as people/access.py's field rules let this user see the record.
            rules = FieldRules.for_request(request)
            event.visible_data = rules.event_changes(
                event.subject_label, event.organisation_id, event.changes
            )
        return event

    @admin.display(description=gettext_lazy("changes"))
    def changes(self, event: CaseEvent) -> str:
        # Fail closed: an event that did not pass get_object shows no values at all.
        data = getattr(event, "visible_data", {})
        return format_html(
            "<pre>{}</pre>", json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
        )
