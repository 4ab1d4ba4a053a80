"""Forms for rulings: refugee-status decisions, complaints to UN treaty bodies, interim measures
and committee decisions. They validate and shape input; rulings/services.py writes."""

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.forms import RecordForm, case_parties
from cases.models import Case
from casetracker.forms import Form
from rulings.models import CommitteeDecision, Complaint, InterimMeasure, RefugeeStatusDecision
from rulings.services import (
    COMMITTEE_DECISION_FIELDS,
    COMPLAINT_FIELDS,
    MEASURE_FIELDS,
    STATUS_DECISION_FIELDS,
)

PARTY_HELP = _("A party to the case. Add the person to the case first if not listed.")


class AppealedDecisionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RefugeeStatusDecision) -> str:
        return f"{obj.person}: {obj}"


def appealable_decisions(*, case: Case, user) -> QuerySet[RefugeeStatusDecision]:
    """Decisions on the case's parties that ``user`` may see: what an appeal can rule on."""
    return (
        RefugeeStatusDecision.objects.visible_to(user)
        .filter(person__case_parties__case=case)
        .select_related("person")
        .order_by("person__family_name", "decided_on", "pk")
    )


class StatusDecisionForm(RecordForm):
    appeal_of = AppealedDecisionField(
        queryset=RefugeeStatusDecision.objects.none(),
        required=False,
        label=capfirst(_("rules on appeal against")),
        help_text=_("The decision appealed, of the same person; leave empty for a first decision."),
    )

    class Meta:
        model = RefugeeStatusDecision
        fields = ("person", *STATUS_DECISION_FIELDS)
        help_texts = {"person": PARTY_HELP}

    def scope(self, *, case: Case, user) -> None:
        if "person" in self.fields:
            self.fields["person"].queryset = case_parties(case=case, user=user)
        decisions = appealable_decisions(case=case, user=user)
        if not self.instance._state.adding:
            decisions = decisions.filter(person_id=self.instance.person_id).exclude(
                pk=self.instance.pk
            )
        self.fields["appeal_of"].queryset = decisions


class StatusDecisionUpdateForm(StatusDecisionForm):
    class Meta(StatusDecisionForm.Meta):
        fields = STATUS_DECISION_FIELDS


class ComplaintForm(RecordForm):
    class Meta:
        model = Complaint
        fields = ("complainants", *COMPLAINT_FIELDS)
        widgets = {"complainants": forms.CheckboxSelectMultiple}
        help_texts = {
            "complainants": _(
                "The people the complaint is made for, each a party to the case. An interim "
                "measure in the complaint protects them."
            )
        }

    def scope(self, *, case: Case, user) -> None:
        self.fields["complainants"].queryset = case_parties(case=case, user=user)


class InterimMeasureForm(RecordForm):
    class Meta:
        model = InterimMeasure
        fields = MEASURE_FIELDS
        help_texts = {
            "granted_on": _("In force from this date until it is lifted."),
        }


class InterimMeasureLiftForm(Form):
    lifted_on = forms.DateField(
        label=capfirst(_("lifted on")), help_text=_("The day the Committee lifted the measure.")
    )


class CommitteeDecisionForm(RecordForm):
    class Meta:
        model = CommitteeDecision
        fields = COMMITTEE_DECISION_FIELDS
