"""Forms for people, their other spellings and their relatives. They validate and shape input;
people/services.py writes.

``people`` may not import ``cases`` (people ← cases ← rulings): organisations are looked up by
name, as in ``PersonQuerySet.visible_to``.
"""

import re

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from casetracker.forms import ModelForm
from organisations.models import Membership, Organisation
from people.models import Person, PersonName, Relationship, language_code_validator
from people.services import PERSON_FIELDS, RELATIONSHIP_FIELDS


def editable_organisations(user) -> QuerySet:
    """The organisations whose people ``user`` may record: where they are caseworker or admin."""
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=Membership.STAFF_ROLES
    ).order_by("name")


class LanguageCodesField(forms.CharField):
    """ISO 639 codes typed as "uz, ru", kept as ``["uz", "ru"]``; the model checks each code."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [code.lower() for code in re.split(r"[\s,;]+", text) if code]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        # Checked here: the model's JSONField would replace the validator's message with its
        # own "Value must be valid JSON."
        for code in value:
            language_code_validator(code)


class PersonForm(ModelForm):
    languages = LanguageCodesField(
        label=capfirst(_("languages")),
        required=False,
        help_text=_("ISO 639 codes of the languages the person speaks, e.g. “uz, ru”."),
    )

    class Meta:
        model = Person
        fields = ("organisation", *PERSON_FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        citizenships = self.fields["citizenships"]
        citizenships.widget.attrs["size"] = 6
        citizenships.help_text = _(
            "Every citizenship held (hold Ctrl or ⌘ to choose several); choose “Stateless” for "
            "a stateless person."
        )

    def scope_user(self, user) -> None:
        """Record the person in one of the user's organisations (preselected when only one)."""
        organisations = editable_organisations(user)
        self.fields["organisation"].queryset = organisations
        only = list(organisations[:2])
        if len(only) == 1 and not self.is_bound:
            # The form's own initial (from the blank instance) would win over the field's.
            self.initial["organisation"] = only[0].pk


class PersonCreateForm(PersonForm):
    """A new person: warned of possible duplicates before the record is saved."""

    record_anyway = forms.BooleanField(
        label=_("This is a different person: record them anyway"),
        required=False,
        help_text=_("Tick only after checking the possible duplicates listed above the form."),
    )


class PersonUpdateForm(PersonForm):
    class Meta(PersonForm.Meta):
        fields = PERSON_FIELDS


class PersonNameForm(ModelForm):
    class Meta:
        model = PersonName
        fields = ("name", "kind", "script")
        help_texts = {
            "name": _("Another spelling, in any script: search finds the person by it."),
            "script": _("Left empty, it is detected from the letters."),
        }


class RelationshipForm(ModelForm):
    class Meta:
        model = Relationship
        fields = RELATIONSHIP_FIELDS
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "relative": _(
                "A person recorded in the same organisation; otherwise type the relative's name."
            ),
        }

    def scope(self, *, person: Person, user) -> None:
        self.fields["relative"].queryset = (
            Person.objects.visible_to(user)
            .filter(organisation_id=person.organisation_id)
            .exclude(pk=person.pk)
            .order_by("family_name", "given_name", "pk")
        )
