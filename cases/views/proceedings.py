"""Forms for detentions and extradition proceedings: one thin class per form (DESIGN §3).

Recording and changing these records is EDIT; recording a stage's decision is FILE (outside
lawyers report what a court decided).
"""

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import services
from cases.access import CaseAction
from cases.forms import (
    DetentionEndForm,
    DetentionForm,
    DetentionUpdateForm,
    ExtraditionDecisionForm,
    ExtraditionRequestForm,
    ExtraditionRequestUpdateForm,
    SurrenderForm,
)
from cases.models import Detention, ExtraditionDecision, ExtraditionRequest
from cases.views.base import CaseFormView

# --- detentions ---------------------------------------------------------------------------


class DetentionCreate(CaseFormView):
    form_class = DetentionForm
    title = gettext_lazy("Record a detention")
    submit_label = gettext_lazy("Record the detention")
    success_message = gettext_lazy("Detention recorded.")
    service = staticmethod(services.detention_create)

    def new_instance(self) -> Detention:
        return Detention(case=self.case)

    def service_kwargs(self, form: forms.BaseForm) -> dict[str, Any]:
        return {"case": self.case, **form.cleaned_data}


class DetentionUpdate(CaseFormView):
    form_class = DetentionUpdateForm
    model = Detention
    pk_url_kwarg = "detention_id"
    select_related = ("case", "person")
    success_message = gettext_lazy("Detention updated.")

    def get_title(self) -> str:
        return _("Change the detention of %(person)s") % {"person": self.object.person}

    def perform(self, form: forms.BaseForm) -> Detention:
        return services.detention_update(
            acting_user=self.request.user, detention=self.object, **self.service_kwargs(form)
        )


class DetentionEnd(CaseFormView):
    form_class = DetentionEndForm
    model = Detention
    pk_url_kwarg = "detention_id"
    select_related = ("case", "person")
    submit_label = gettext_lazy("Record the end")
    success_message = gettext_lazy("End of detention recorded.")

    def get_title(self) -> str:
        return _("End the detention of %(person)s") % {"person": self.object.person}

    def get_intro(self) -> str:
        return _("In detention since %(day)s.") % {"day": date_format(self.object.started_on)}

    def perform(self, form: forms.BaseForm) -> Detention:
        return services.detention_end(
            acting_user=self.request.user, detention=self.object, **form.cleaned_data
        )


# --- extradition requests -----------------------------------------------------------------


class ExtraditionRequestCreate(CaseFormView):
    form_class = ExtraditionRequestForm
    title = gettext_lazy("Record an extradition request")
    submit_label = gettext_lazy("Record the request")
    success_message = gettext_lazy("Extradition request recorded.")
    service = staticmethod(services.extradition_request_create)

    def new_instance(self) -> ExtraditionRequest:
        return ExtraditionRequest(case=self.case)

    def service_kwargs(self, form: forms.BaseForm) -> dict[str, Any]:
        return {"case": self.case, **form.cleaned_data}


class ExtraditionRequestUpdate(CaseFormView):
    form_class = ExtraditionRequestUpdateForm
    model = ExtraditionRequest
    pk_url_kwarg = "request_id"
    select_related = ("case", "person")
    success_message = gettext_lazy("Extradition request updated.")

    def get_title(self) -> str:
        return _("Change the extradition request for %(person)s") % {"person": self.object.person}

    def perform(self, form: forms.BaseForm) -> ExtraditionRequest:
        return services.extradition_request_update(
            acting_user=self.request.user, request=self.object, **self.service_kwargs(form)
        )


class ExtraditionRequestSurrender(CaseFormView):
    form_class = SurrenderForm
    model = ExtraditionRequest
    pk_url_kwarg = "request_id"
    select_related = ("case", "person")
    submit_label = gettext_lazy("Record the surrender")
    success_message = gettext_lazy("Surrender recorded.")

    def get_title(self) -> str:
        return _("Record the surrender of %(person)s") % {"person": self.object.person}

    def get_intro(self) -> str:
        # ``cases`` cannot ask ``rulings`` whether an interim measure protects the person
        # (people ← cases ← rulings): the case page shows that; here the consequence is stated.
        return _(
            "Extradition requested by %(state)s (received %(day)s). If a UN committee's "
            "interim measure protects this person, recording the surrender raises a critical "
            "breach alert to everyone on the case at once."
        ) % {
            "state": self.object.requesting_state.name,
            "day": date_format(self.object.received_on),
        }

    def perform(self, form: forms.BaseForm) -> ExtraditionRequest:
        return services.extradition_request_surrender(
            acting_user=self.request.user, request=self.object, **form.cleaned_data
        )


# --- extradition decisions ----------------------------------------------------------------


class ExtraditionDecisionCreate(CaseFormView):
    form_class = ExtraditionDecisionForm
    action = CaseAction.FILE
    parent_model = ExtraditionRequest
    parent_url_kwarg = "request_id"
    select_related = ("case", "person")
    submit_label = gettext_lazy("Record the decision")
    success_message = gettext_lazy("Decision recorded.")

    def get_title(self) -> str:
        return _("Record a decision on the extradition of %(person)s") % {
            "person": self.parent.person
        }

    def get_intro(self) -> str:
        return _("Request of %(state)s received on %(day)s.") % {
            "state": self.parent.requesting_state.name,
            "day": date_format(self.parent.received_on),
        }

    def new_instance(self) -> ExtraditionDecision:
        return ExtraditionDecision(request=self.parent)

    def perform(self, form: forms.BaseForm) -> ExtraditionDecision:
        return services.extradition_decision_record(
            acting_user=self.request.user, request=self.parent, **form.cleaned_data
        )


class ExtraditionDecisionUpdate(CaseFormView):
    form_class = ExtraditionDecisionForm
    action = CaseAction.FILE
    model = ExtraditionDecision
    pk_url_kwarg = "decision_id"
    select_related = ("request__case", "request__person")
    success_message = gettext_lazy("Decision updated.")

    def get_title(self) -> str:
        return _("Change a decision on the extradition of %(person)s") % {
            "person": self.object.request.person
        }

    def perform(self, form: forms.BaseForm) -> ExtraditionDecision:
        return services.extradition_decision_update(
            acting_user=self.request.user, decision=self.object, **self.service_kwargs(form)
        )
