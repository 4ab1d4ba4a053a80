"""Forgetting a person, from their page (issue #11): for an admin of their organisation, with a
reason and a confirmation; refused while they are party to an open case."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casetracker.forms import Form
from casetracker.pages import ServiceFormView
from casetracker.selectors import visible_get
from organisations.access import organisation_role
from organisations.choices import Role
from people.models import Person
from workspace.services import person_anonymise


class AnonymiseForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_(
            "Why the person is forgotten, e.g. “retention period ended” or “the person asked "
            "for erasure on 2026-11-30”. Recorded on the timeline."
        ),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that their names, contact details, birth data and notes are removed "
            "from every record for good, and the files of their own cases deleted."
        )
    )


class PersonAnonymiseView(ServiceFormView):
    form_class = AnonymiseForm
    title = _("Anonymise this person")
    submit_label = _("Anonymise for good")
    success_message = _("The person was anonymised.")

    def get_object(self) -> Person:
        return visible_get(
            user=self.request.user, queryset=Person.objects.all(), pk=self.kwargs["person_id"]
        )

    def check_permission(self) -> None:
        role = organisation_role(user=self.request.user, organisation=self.object.organisation_id)
        if role != Role.ADMIN:
            raise PermissionDenied(
                _("Only an admin of the person's organisation may anonymise them.")
            )

    def perform(self, form) -> Person:
        person_anonymise(
            acting_user=self.request.user, person=self.object, reason=form.cleaned_data["reason"]
        )
        return self.object

    def get_success_url(self, result: Any) -> str:
        return reverse("workspace:person_detail", args=[result.pk])

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(
            person=self.object, cancel_url=self.object.get_absolute_url(), **context
        )
