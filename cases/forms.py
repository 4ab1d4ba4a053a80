"""Forms for cases and their records. They validate and shape input; the services write.

Choices of people, requests and users are limited by ``scope(case=, user=)``, which the view
calls: only what belongs to the case and the user may see, never another organisation's
records, each in one query however many there are.
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.choices import AccessRole, DetentionEndReason, RequestStatus
from cases.models import Case, CaseParty, Detention, ExtraditionDecision, ExtraditionRequest
from cases.selectors import case_colleagues
from cases.services.cases import CASE_FIELDS
from cases.services.proceedings import DECISION_FIELDS, DETENTION_FIELDS, REQUEST_FIELDS
from casetracker.forms import Form, ModelForm
from organisations.selectors import members_of, staff_organisations
from people.models import Person

User = get_user_model()


def case_parties(*, case: Case, user) -> QuerySet[Person]:
    """The parties to ``case`` that ``user`` may see, for a person select."""
    return (
        Person.objects.visible_to(user)
        .filter(case_parties__case=case)
        .order_by("family_name", "given_name", "pk")
    )


class RecordForm(ModelForm):
    """A model form of a case record, with text areas three lines high so that the form fits
    a phone's screen."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


def _today() -> datetime.date:
    return timezone.localdate()


# --- cases --------------------------------------------------------------------------------


class CaseOpenForm(RecordForm):
    lead = UserChoiceField(queryset=User.objects.none(), required=False, label=capfirst(_("lead")))

    class Meta:
        model = Case
        fields = ("organisation", "reference", "opened_on", *CASE_FIELDS)

    def scope_user(self, user) -> None:
        """Open a case in one of the user's organisations (preselected when only one)."""
        organisations = staff_organisations(user)
        self.fields["organisation"].queryset = organisations
        self.fields["lead"].queryset = members_of(organisations.values("pk"))
        only = list(organisations[:2])
        if len(only) == 1 and not self.is_bound:
            # The form's own initial (from the blank instance) would win over the field's.
            self.initial["organisation"] = only[0].pk


class CaseUpdateForm(RecordForm):
    lead = UserChoiceField(queryset=User.objects.none(), required=False, label=capfirst(_("lead")))

    class Meta:
        model = Case
        fields = ("reference", *CASE_FIELDS)

    def scope(self, *, case: Case, user) -> None:
        self.fields["lead"].queryset = members_of([case.organisation_id])


class CaseCloseForm(Form):
    closed_on = forms.DateField(
        label=capfirst(_("closed on")),
        help_text=_("Its open deadlines are cancelled; reopening the case brings them back."),
    )


class CasePartyForm(RecordForm):
    class Meta:
        model = CaseParty
        fields = ("person", "role")
        help_texts = {
            "person": _(
                "People of the case's organisation who are not yet parties. Record a new "
                "person first if they are not listed."
            )
        }

    def scope(self, *, case: Case, user) -> None:
        self.fields["person"].queryset = (
            Person.objects.visible_to(user)
            .filter(organisation_id=case.organisation_id)
            .exclude(case_parties__case=case)
            .order_by("family_name", "given_name", "pk")
        )


class CaseShareForm(Form):
    username = forms.CharField(
        label=capfirst(_("username")),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
        help_text=_("The username the person signs in with, e.g. an outside lawyer's."),
    )
    role = forms.ChoiceField(
        label=capfirst(_("role")),
        choices=AccessRole.choices,
        initial=AccessRole.LAWYER,
        help_text=_(
            "A lawyer may read the case, file notes and documents and record decisions; a "
            "viewer may only read. Sharing again with the same user changes their role."
        ),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No active user signs in as “%(username)s”: check the spelling."),
                params={"username": username},
            )
        return user

    def service_data(self) -> dict:
        return {"user": self.cleaned_data["username"], "role": self.cleaned_data["role"]}


# --- detentions ---------------------------------------------------------------------------


class DetentionForm(RecordForm):
    class Meta:
        model = Detention
        fields = ("person", *DETENTION_FIELDS)
        help_texts = {
            "person": _("A party to the case. Add the person to the case first if not listed."),
            "ended_on": _("Leave empty while the detention lasts."),
            "end_reason": _("Only with the date it ended."),
        }

    def scope(self, *, case: Case, user) -> None:
        self.fields["person"].queryset = case_parties(case=case, user=user)


class DetentionUpdateForm(RecordForm):
    class Meta:
        model = Detention
        fields = DETENTION_FIELDS
        help_texts = DetentionForm.Meta.help_texts


class DetentionEndForm(Form):
    ended_on = forms.DateField(
        label=capfirst(_("ended on")), help_text=_("The last day in detention.")
    )
    end_reason = forms.ChoiceField(
        label=capfirst(_("end reason")),
        choices=[("", "---------"), *DetentionEndReason.choices],
        help_text=_(
            "Extradited, deported or transferred while an interim measure protects the person "
            "raises a critical breach alert at once."
        ),
    )


# --- extradition --------------------------------------------------------------------------

# A surrender has its own form, with its date (extradition_request_surrender).
REQUEST_STATUSES = [c for c in RequestStatus.choices if c[0] != RequestStatus.SURRENDERED]


class ExtraditionRequestForm(RecordForm):
    class Meta:
        model = ExtraditionRequest
        fields = ("person", *REQUEST_FIELDS)
        help_texts = {
            "person": _("A party to the case. Add the person to the case first if not listed."),
            "received_on": _("The day the requested State received the request."),
            "status": _("Record a surrender with “Record the surrender”, which takes its date."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        if self.instance.status == RequestStatus.SURRENDERED:
            # A recorded surrender is final here: the request's status no longer changes.
            status.disabled = True
        else:
            status.choices = REQUEST_STATUSES

    def scope(self, *, case: Case, user) -> None:
        if "person" in self.fields:
            self.fields["person"].queryset = case_parties(case=case, user=user)


class ExtraditionRequestUpdateForm(ExtraditionRequestForm):
    class Meta(ExtraditionRequestForm.Meta):
        fields = REQUEST_FIELDS


class SurrenderForm(Form):
    surrendered_on = forms.DateField(
        label=capfirst(_("surrendered on")), help_text=_("The day the person was handed over.")
    )


class ExtraditionDecisionForm(RecordForm):
    class Meta:
        model = ExtraditionDecision
        fields = DECISION_FIELDS


# --- deadlines ----------------------------------------------------------------------------


class DeadlineCreateForm(Form):
    title = forms.CharField(
        label=capfirst(_("title")),
        max_length=200,
        help_text=_("What must happen, e.g. “Hearing at the city court”."),
    )
    due_on = forms.DateField(
        label=capfirst(_("due on")), help_text=_("It falls due at the end of this day.")
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=capfirst(_("person")),
        help_text=_("Leave empty for a deadline of the whole case."),
    )
    responsible = UserChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=capfirst(_("responsible")),
        help_text=_("Who answers for it and is reminded. Default: the case's lead."),
    )
    timezone = forms.CharField(
        label=capfirst(_("time zone")),
        max_length=60,
        initial="Asia/Almaty",
        help_text=_("The day ends at midnight in this time zone, e.g. “Asia/Almaty”."),
    )
    explanation = forms.CharField(
        label=capfirst(_("how the date was set")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. “Set by the judge at the hearing of 3 May”."),
    )

    def scope(self, *, case: Case, user) -> None:
        self.fields["person"].queryset = case_parties(case=case, user=user)
        self.fields["responsible"].queryset = case_colleagues(case, user=user)


class DeadlineOverrideForm(Form):
    due_on = forms.DateField(
        label=capfirst(_("new due date")),
        help_text=_("E.g. the date the Committee's letter names."),
    )
    reason = forms.CharField(
        label=capfirst(_("reason")),
        widget=forms.Textarea(attrs={"rows": 3}),
        # The service's words: what a reason is for, better than "this field is required".
        error_messages={"required": _("Say why the computed date is overridden.")},
        help_text=_("Why the computed date is replaced; shown on the case's timeline."),
    )


class DeadlineMetForm(Form):
    met_on = forms.DateField(
        label=capfirst(_("met on")),
        initial=_today,
        help_text=_("The day the awaited step was done."),
    )
