"""Admin for refugee-status decisions, complaints to treaty bodies, interim measures and
committee decisions: reads through ``visible_to``, writes through rulings/services.py, rights
from the case (``CaseRecordAdmin``)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.access import CaseAction
from cases.admin import CaseRecordAdmin
from casetracker.admin_base import TIMESTAMPS
from rulings.models import CommitteeDecision, Complaint, InterimMeasure, RefugeeStatusDecision
from rulings.services import (
    COMMITTEE_DECISION_FIELDS,
    COMPLAINT_FIELDS,
    MEASURE_FIELDS,
    STATUS_DECISION_FIELDS,
    committee_decision_record,
    committee_decision_update,
    complaint_submit,
    complaint_update,
    interim_measure_lift,
    interim_measure_record,
    interim_measure_update,
    status_decision_record,
    status_decision_update,
)


@admin.register(RefugeeStatusDecision)
class RefugeeStatusDecisionAdmin(CaseRecordAdmin):
    add_fields = ("case", "person", *STATUS_DECISION_FIELDS)
    change_fields = (*add_fields, *TIMESTAMPS)
    update_fields = STATUS_DECISION_FIELDS
    write_action = CaseAction.FILE
    list_display = ("person", "authority", "outcome", "decided_on", "notified_on", "body", "case")
    list_filter = ("authority", "outcome", "decided_on")
    list_select_related = ("person", "case")
    search_fields = ("person__family_name", "person__given_name", "body", "case__reference")
    date_hierarchy = "decided_on"
    autocomplete_fields = ("case", "person", "appeal_of")

    def service_create(self, request, data):
        return status_decision_record(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        return status_decision_update(acting_user=request.user, decision=obj, **changes)


@admin.register(Complaint)
class ComplaintAdmin(CaseRecordAdmin):
    add_fields = ("case", "complainants", *COMPLAINT_FIELDS)
    change_fields = (*add_fields, *TIMESTAMPS)
    update_fields = ("complainants", *COMPLAINT_FIELDS)
    list_display = ("__str__", "case", "state_party", "submitted_on", "transmitted_on", "status")
    list_filter = ("body", "status", "submitted_on")
    list_select_related = ("case",)
    search_fields = ("number", "counsel", "case__reference")
    date_hierarchy = "submitted_on"
    autocomplete_fields = ("case", "complainants")

    def service_create(self, request, data):
        return complaint_submit(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        return complaint_update(acting_user=request.user, complaint=obj, **changes)


@admin.register(InterimMeasure)
class InterimMeasureAdmin(CaseRecordAdmin):
    add_fields = ("complaint", *MEASURE_FIELDS)
    change_fields = (*add_fields, "lifted_on", *TIMESTAMPS)
    update_fields = (*MEASURE_FIELDS, "lifted_on")
    write_action = CaseAction.FILE
    list_display = ("complaint", "requested_on", "granted_on", "reaffirmed_on", "lifted_on")
    list_filter = ("granted_on", "lifted_on")
    list_select_related = ("complaint",)
    search_fields = ("complaint__number", "complaint__case__reference")
    date_hierarchy = "granted_on"
    autocomplete_fields = ("complaint",)

    def service_create(self, request, data):
        return interim_measure_record(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        user = request.user
        if "lifted_on" in changes:
            # Lifting is its own verb: from that day a removal is no longer a breach.
            lifted_on = changes.pop("lifted_on")
            if obj.lifted_on is not None or lifted_on is None:
                raise ValidationError(
                    {"lifted_on": _("A lifting is recorded once; record a new measure instead.")}
                )
            if changes:
                interim_measure_update(acting_user=user, measure=obj, **changes)
            return interim_measure_lift(acting_user=user, measure=obj, lifted_on=lifted_on)
        return interim_measure_update(acting_user=user, measure=obj, **changes)


@admin.register(CommitteeDecision)
class CommitteeDecisionAdmin(CaseRecordAdmin):
    add_fields = ("complaint", *COMMITTEE_DECISION_FIELDS)
    change_fields = (*add_fields, *TIMESTAMPS)
    update_fields = COMMITTEE_DECISION_FIELDS
    write_action = CaseAction.FILE
    list_display = ("__str__", "complaint", "kind", "outcome", "adopted_on", "transmitted_on")
    list_filter = ("kind", "outcome", "adopted_on")
    list_select_related = ("complaint",)
    search_fields = ("symbol", "complaint__number", "complaint__case__reference")
    date_hierarchy = "adopted_on"
    autocomplete_fields = ("complaint",)

    def service_create(self, request, data):
        return committee_decision_record(acting_user=request.user, **data)

    def service_update(self, request, obj, changes):
        return committee_decision_update(acting_user=request.user, decision=obj, **changes)
