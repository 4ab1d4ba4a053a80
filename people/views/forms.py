"""Forms for people, their other spellings and their relatives (DESIGN §3, §4).

A person the user may not see answers 404; one they see but may not change (a viewer, an
outside lawyer) answers 403: only the owning organisation's caseworkers and admins change
people's records (``person_can_edit``, the rule people/services.py applies).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casetracker.pages import ServiceFormView, safe_next
from casetracker.selectors import visible_get
from people import services
from people.access import person_can_edit, person_require_edit
from people.forms import (
    PersonCreateForm,
    PersonNameForm,
    PersonUpdateForm,
    RelationshipForm,
    editable_organisations,
)
from people.models import Person, PersonName, Relationship
from people.selectors import duplicate_candidates


class PersonCreate(ServiceFormView):
    """Record a person; if the name resembles someone already on file, the form comes back
    with the possible duplicates and their reasons, and saves only once told it is another
    person (``record_anyway``)."""

    form_class = PersonCreateForm
    title = gettext_lazy("Record a person")
    submit_label = gettext_lazy("Record the person")
    success_message = gettext_lazy("Person recorded.")
    template_name = "people/person_create.html"
    duplicates: list = []

    def perform(self, form: forms.BaseForm) -> Person:
        data = dict(form.cleaned_data)
        record_anyway = data.pop("record_anyway", False)
        if not record_anyway:
            fields = {
                k: v
                for k, v in data.items()
                if k
                in (
                    "organisation",
                    "family_name",
                    "given_name",
                    "patronymic",
                    "name_native",
                    "birth_date",
                    "birth_date_precision",
                    "citizenships",
                )
            }
            self.duplicates = duplicate_candidates(user=self.request.user, person=Person(**fields))
            if self.duplicates:
                raise ValidationError(
                    {
                        "record_anyway": _(
                            "This may be someone already on file (listed above the form): "
                            "open them to check, or tick this box if it is another person."
                        )
                    }
                )
        return services.person_create(acting_user=self.request.user, **data)

    def check_permission(self) -> None:
        if not editable_organisations(self.request.user).exists():
            raise PermissionDenied(
                _("Only an organisation's caseworkers and admins record people.")
            )

    def new_instance(self) -> Person:
        return Person()

    def get_form(self, data=None, files=None) -> forms.BaseForm:
        form = super().get_form(data=data, files=files)
        form.scope_user(self.request.user)
        return form

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(
            cancel_url=reverse("people:person_list"), duplicates=self.duplicates, **context
        )


class PersonFormView(ServiceFormView):
    """A form on one person's record, found from the URL's ``person_id`` (or the edited
    record's person)."""

    person: Person

    def get_person(self) -> Person:
        return visible_get(
            user=self.request.user, queryset=Person.objects.all(), pk=self.kwargs["person_id"]
        )

    def check_permission(self) -> None:
        self.person = self.get_person()
        person_require_edit(user=self.request.user, organisation=self.person.organisation_id)

    def get_title(self) -> str:
        return str(self.title)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=self.get_title(),
            person=self.person,
            cancel_url=self.person.get_absolute_url(),
            **context,
        )


class PersonUpdate(PersonFormView):
    form_class = PersonUpdateForm
    success_message = gettext_lazy("Person updated.")

    def get_object(self) -> Person:
        return visible_get(
            user=self.request.user, queryset=Person.objects.all(), pk=self.kwargs["person_id"]
        )

    def get_person(self) -> Person:
        return self.object

    def get_title(self) -> str:
        return _("Change the record of %(person)s") % {"person": self.person}

    def perform(self, form: forms.BaseForm) -> Person:
        return services.person_update(
            acting_user=self.request.user, person=self.object, **self.service_kwargs(form)
        )


class PersonNameAdd(PersonFormView):
    form_class = PersonNameForm
    submit_label = gettext_lazy("Add the spelling")
    success_message = gettext_lazy("Spelling added.")

    def get_title(self) -> str:
        return _("Add another spelling of %(person)s") % {"person": self.person}

    def new_instance(self) -> PersonName:
        return PersonName(person=self.person)

    def perform(self, form: forms.BaseForm) -> PersonName:
        return services.person_name_add(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )


class RelationshipFormView(PersonFormView):
    form_class = RelationshipForm

    def get_form(self, data=None, files=None) -> forms.BaseForm:
        form = super().get_form(data=data, files=files)
        form.scope(person=self.person, user=self.request.user)
        return form


class RelationshipCreate(RelationshipFormView):
    submit_label = gettext_lazy("Add the relative")
    success_message = gettext_lazy("Relative added.")

    def get_title(self) -> str:
        return _("Add a relative or contact of %(person)s") % {"person": self.person}

    def new_instance(self) -> Relationship:
        return Relationship(person=self.person)

    def perform(self, form: forms.BaseForm) -> Relationship:
        return services.relationship_create(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )


class RelationshipUpdate(RelationshipFormView):
    success_message = gettext_lazy("Relative updated.")

    def get_object(self) -> Relationship:
        return visible_get(
            user=self.request.user,
            queryset=Relationship.objects.select_related("person", "relative"),
            pk=self.kwargs["relationship_id"],
        )

    def get_person(self) -> Person:
        return self.object.person

    def get_title(self) -> str:
        return _("Change a relative of %(person)s") % {"person": self.person}

    def perform(self, form: forms.BaseForm) -> Relationship:
        return services.relationship_update(
            acting_user=self.request.user, relationship=self.object, **self.service_kwargs(form)
        )


def _person_action(request: HttpRequest, *, person: Person, perform, success: str) -> HttpResponse:
    """A POST-only removal: 403 unless the user may change the person, then back to the
    person's page with a message."""
    if not person_can_edit(user=request.user, organisation=person.organisation_id):
        raise PermissionDenied
    try:
        with transaction.atomic():
            perform()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(person.get_absolute_url())


@login_required
@require_POST
def person_name_remove_view(request: HttpRequest, name_id) -> HttpResponse:
    name = visible_get(
        user=request.user, queryset=PersonName.objects.select_related("person"), pk=name_id
    )
    return _person_action(
        request,
        person=name.person,
        perform=lambda: services.person_name_remove(acting_user=request.user, person_name=name),
        success=_("Spelling “%(name)s” removed.") % {"name": name.name},
    )


@login_required
@require_POST
def relationship_remove_view(request: HttpRequest, relationship_id) -> HttpResponse:
    relationship = visible_get(
        user=request.user,
        queryset=Relationship.objects.select_related("person"),
        pk=relationship_id,
    )
    return _person_action(
        request,
        person=relationship.person,
        perform=lambda: services.relationship_remove(
            acting_user=request.user, relationship=relationship
        ),
        success=_("Relative removed."),
    )


@login_required
@require_POST
def person_not_duplicate_view(request: HttpRequest, person_id, other_id) -> HttpResponse:
    """Mark two people as different people: the pair is never proposed again (issue #12)."""
    person = visible_get(user=request.user, queryset=Person.objects.all(), pk=person_id)
    other = visible_get(user=request.user, queryset=Person.objects.all(), pk=other_id)
    try:
        with transaction.atomic():
            services.person_not_duplicate(acting_user=request.user, person=person, other=other)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Marked as different people: they are not proposed as duplicates again.")
        )
    return redirect(safe_next(request, person.get_absolute_url()))
