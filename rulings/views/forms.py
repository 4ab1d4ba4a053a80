"""Forms for rulings: one thin class per form on cases' CaseFormView (DESIGN §3).

Recording what a body decided (status decisions, interim measures, committee decisions) is
FILE: outside lawyers may. Submitting or reshaping a complaint is EDIT.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import CaseAction
from cases.views.base import CaseFormView
from rulings import services
from rulings.forms import (
    CommitteeDecisionForm,
    ComplaintForm,
    InterimMeasureForm,
    InterimMeasureLiftForm,
    StatusDecisionForm,
    StatusDecisionUpdateForm,
)
from rulings.models import CommitteeDecision, Complaint, InterimMeasure, RefugeeStatusDecision

# --- refugee status -----------------------------------------------------------------------


class StatusDecisionCreate(CaseFormView):
    form_class = StatusDecisionForm
    action = CaseAction.FILE
    title = gettext_lazy("Record a refugee status decision")
    submit_label = gettext_lazy("Record the decision")
    success_message = gettext_lazy("Decision recorded.")
    service = staticmethod(services.status_decision_record)

    def new_instance(self) -> RefugeeStatusDecision:
        return RefugeeStatusDecision(case=self.case)

    def service_kwargs(self, form: forms.BaseForm) -> dict[str, Any]:
        return {"case": self.case, **form.cleaned_data}


class StatusDecisionUpdate(CaseFormView):
    form_class = StatusDecisionUpdateForm
    action = CaseAction.FILE
    model = RefugeeStatusDecision
    pk_url_kwarg = "decision_id"
    select_related = ("case", "person", "appeal_of")
    success_message = gettext_lazy("Decision updated.")

    def get_title(self) -> str:
        return _("Change a refugee status decision on %(person)s") % {"person": self.object.person}

    def perform(self, form: forms.BaseForm) -> RefugeeStatusDecision:
        return services.status_decision_update(
            acting_user=self.request.user, decision=self.object, **self.service_kwargs(form)
        )


# --- complaints ---------------------------------------------------------------------------


class ComplaintCreate(CaseFormView):
    form_class = ComplaintForm
    title = gettext_lazy("Record a complaint to a UN treaty body")
    submit_label = gettext_lazy("Record the complaint")
    success_message = gettext_lazy("Complaint recorded.")
    service = staticmethod(services.complaint_submit)

    def new_instance(self) -> Complaint:
        return Complaint(case=self.case)

    def service_kwargs(self, form: forms.BaseForm) -> dict[str, Any]:
        return {"case": self.case, **form.cleaned_data}


class ComplaintUpdate(CaseFormView):
    form_class = ComplaintForm
    model = Complaint
    pk_url_kwarg = "complaint_id"
    select_related = ("case",)
    success_message = gettext_lazy("Complaint updated.")

    def get_title(self) -> str:
        return _("Change complaint %(complaint)s") % {"complaint": self.object}

    def perform(self, form: forms.BaseForm) -> Complaint:
        return services.complaint_update(
            acting_user=self.request.user, complaint=self.object, **self.service_kwargs(form)
        )


# --- interim measures ---------------------------------------------------------------------


class InterimMeasureCreate(CaseFormView):
    form_class = InterimMeasureForm
    action = CaseAction.FILE
    parent_model = Complaint
    parent_url_kwarg = "complaint_id"
    select_related = ("case",)
    submit_label = gettext_lazy("Record the measure")
    success_message = gettext_lazy("Interim measure recorded.")

    def get_title(self) -> str:
        return _("Record an interim measure in %(complaint)s") % {"complaint": self.parent}

    def get_intro(self) -> str:
        return _(
            "From the day it is granted until it is lifted, a surrender or removal of the "
            "complainants raises a critical breach alert."
        )

    def new_instance(self) -> InterimMeasure:
        return InterimMeasure(complaint=self.parent)

    def perform(self, form: forms.BaseForm) -> InterimMeasure:
        return services.interim_measure_record(
            acting_user=self.request.user, complaint=self.parent, **form.cleaned_data
        )


class MeasureFormView(CaseFormView):
    action = CaseAction.FILE
    model = InterimMeasure
    pk_url_kwarg = "measure_id"
    select_related = ("complaint__case",)


class InterimMeasureUpdate(MeasureFormView):
    form_class = InterimMeasureForm
    success_message = gettext_lazy("Interim measure updated.")

    def get_title(self) -> str:
        return _("Change the interim measure in %(complaint)s") % {
            "complaint": self.object.complaint
        }

    def perform(self, form: forms.BaseForm) -> InterimMeasure:
        return services.interim_measure_update(
            acting_user=self.request.user, measure=self.object, **self.service_kwargs(form)
        )


class InterimMeasureLift(MeasureFormView):
    form_class = InterimMeasureLiftForm
    submit_label = gettext_lazy("Record the lifting")
    success_message = gettext_lazy("Interim measure lifted.")

    def get_title(self) -> str:
        return _("Lift the interim measure in %(complaint)s") % {"complaint": self.object.complaint}

    def get_intro(self) -> str:
        return _("From this day the measure no longer protects the complainants.")

    def perform(self, form: forms.BaseForm) -> InterimMeasure:
        return services.interim_measure_lift(
            acting_user=self.request.user, measure=self.object, **form.cleaned_data
        )


# --- committee decisions ------------------------------------------------------------------


class CommitteeDecisionCreate(CaseFormView):
    form_class = CommitteeDecisionForm
    action = CaseAction.FILE
    parent_model = Complaint
    parent_url_kwarg = "complaint_id"
    select_related = ("case",)
    submit_label = gettext_lazy("Record the decision")
    success_message = gettext_lazy("Committee decision recorded.")

    def get_title(self) -> str:
        return _("Record the Committee's decision in %(complaint)s") % {"complaint": self.parent}

    def new_instance(self) -> CommitteeDecision:
        return CommitteeDecision(complaint=self.parent)

    def perform(self, form: forms.BaseForm) -> CommitteeDecision:
        return services.committee_decision_record(
            acting_user=self.request.user, complaint=self.parent, **form.cleaned_data
        )


class CommitteeDecisionUpdate(CaseFormView):
    form_class = CommitteeDecisionForm
    action = CaseAction.FILE
    model = CommitteeDecision
    pk_url_kwarg = "decision_id"
    select_related = ("complaint__case",)
    success_message = gettext_lazy("Committee decision updated.")

    def get_title(self) -> str:
        return _("Change the Committee's decision in %(complaint)s") % {
            "complaint": self.object.complaint
        }

    def perform(self, form: forms.BaseForm) -> CommitteeDecision:
        return services.committee_decision_update(
            acting_user=self.request.user, decision=self.object, **self.service_kwargs(form)
        )
