"""Serializers of people's records: they validate and shape; the services write.

Viewers never receive contact details or addresses (DESIGN §4): the fields people/access.py's
``FieldRules`` hides are left out of the representation, decided once per organisation per
request (a list of fifty people asks once, not fifty times).
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casetracker.api.fields import VisibleRelatedField
from organisations.models import Organisation
from people.access import FieldRules
from people.models import Person, PersonName, Relationship, language_code_validator
from people.services import PERSON_FIELDS, RELATIONSHIP_FIELDS

TIMESTAMPS = ("id", "created_at", "updated_at")
TIMESTAMP_HELP = {
    "id": {"help_text": _("The record's UUID.")},
    "created_at": {"help_text": _("When the record was created.")},
    "updated_at": {"help_text": _("When the record last changed.")},
}
HIDDEN_FROM_VIEWERS = _("Left out of the answer for viewers, who never see contact details.")


def _contact_help(text) -> str:
    return format_lazy("{} {}", text, HIDDEN_FROM_VIEWERS)


class ContactDetailsMixin:
    """Leaves out of the representation the fields ``FieldRules`` hides from the reader
    (people/access.py: the one place that decides, for every channel)."""

    def organisation_id_of(self, instance) -> Any:
        raise NotImplementedError

    def to_representation(self, instance) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        rules = (
            FieldRules.for_request(request) if request is not None else FieldRules(AnonymousUser())
        )
        for name in rules.hidden_fields(instance._meta.label, self.organisation_id_of(instance)):
            data.pop(name, None)
        return data


class FixedAfterCreateMixin:
    """Fields set when a record is created and never changed afterwards (the services do not
    accept them on update): a write that changes one is a 400 naming it."""

    fixed_after_create: tuple[str, ...] = ()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is not None:
            errors = {
                name: _("This cannot be changed after the record is created.")
                for name in self.fixed_after_create
                if name in attrs and attrs[name] != getattr(self.instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class PersonSerializer(ContactDetailsMixin, FixedAfterCreateMixin, serializers.ModelSerializer):
    """A person an organisation defends or whose case it follows. Viewers never receive
    ``phone`` or ``address``."""

    fixed_after_create = ("organisation",)

    organisation = VisibleRelatedField(
        queryset=Organisation.objects.all(),
        help_text=_(
            "The organisation that owns the record (UUID of an organisation you belong to, as "
            "caseworker or admin). Set on creation; it cannot be changed."
        ),
    )
    citizenships = serializers.ListField(
        child=serializers.ChoiceField(choices=Person._meta.get_field("citizenships").countries),
        allow_empty=True,
        required=False,
        help_text=_(
            'Every citizenship held, as ISO 3166 codes, e.g. ["UZ", "RU"]. "XX" is stateless '
            "and cannot be combined with a citizenship."
        ),
    )
    languages = serializers.ListField(
        child=serializers.CharField(validators=[language_code_validator]),
        allow_empty=True,
        required=False,
        help_text=_('ISO 639 codes of the languages the person speaks, e.g. ["uz", "ru"].'),
    )

    class Meta:
        model = Person
        fields = (*TIMESTAMPS, "organisation", *PERSON_FIELDS)
        read_only_fields = TIMESTAMPS
        extra_kwargs = {
            **TIMESTAMP_HELP,
            "family_name": {"help_text": _("Family name, as in the person's main documents.")},
            "given_name": {"help_text": _("Given name.")},
            "patronymic": {"help_text": _("Patronymic, if the person has one.")},
            "name_native": {
                "help_text": _(
                    "The full name as the person writes it, e.g. in Cyrillic or Arabic script."
                )
            },
            "sex": {"help_text": _("Sex.")},
            "birth_date": {
                "help_text": _(
                    "Date of birth; see birth_date_precision for how much of it is known."
                )
            },
            "birth_date_precision": {
                "help_text": _(
                    "How much of birth_date is known. For “month”, give the 1st of the month; "
                    "for “year”, 1 January."
                )
            },
            "birth_place": {"help_text": _("Place of birth.")},
            "phone": {"help_text": _contact_help(_("Phone number."))},
            "address": {"help_text": _contact_help(_("Postal address."))},
            "notes": {"help_text": _("Free-text notes.")},
        }

    def organisation_id_of(self, instance: Person) -> Any:
        return instance.organisation_id


class PersonNameSerializer(serializers.ModelSerializer):
    """Another spelling of a person's name; the name search matches every spelling."""

    person = VisibleRelatedField(
        queryset=Person.objects.all(), help_text=_("The person this spelling belongs to (UUID).")
    )

    class Meta:
        model = PersonName
        fields = (*TIMESTAMPS, "person", "name", "script", "kind")
        read_only_fields = TIMESTAMPS
        # The model's own unique constraint answers a repeated spelling, with its message.
        validators = []
        extra_kwargs = {
            **TIMESTAMP_HELP,
            "name": {
                "help_text": _(
                    "Another spelling of the person's name, in any script. Search finds the "
                    "person by it."
                )
            },
            "script": {
                "help_text": _("The script the spelling is written in; left blank, it is detected.")
            },
            "kind": {
                "help_text": _(
                    "What this spelling is: a transliteration, an alias, a former name or a "
                    "misspelling found in a document."
                )
            },
        }


class RelationshipSerializer(
    ContactDetailsMixin, FixedAfterCreateMixin, serializers.ModelSerializer
):
    """A relative or contact of a person: a recorded person or a name, with contact details.
    Viewers never receive ``phone``, ``email`` or ``address``."""

    fixed_after_create = ("person",)

    person = VisibleRelatedField(
        queryset=Person.objects.all(),
        help_text=_("The person whose relative or contact this is (UUID). Set on creation."),
    )
    relative = VisibleRelatedField(
        queryset=Person.objects.all(),
        allow_null=True,
        required=False,
        help_text=_(
            "The relative, when recorded as a person of the same organisation (UUID); "
            "otherwise give relative_name."
        ),
    )

    class Meta:
        model = Relationship
        fields = (*TIMESTAMPS, "person", *RELATIONSHIP_FIELDS)
        read_only_fields = TIMESTAMPS
        extra_kwargs = {
            **TIMESTAMP_HELP,
            "relative_name": {
                "help_text": _("The relative's name, when they are not recorded as a person.")
            },
            "kind": {"help_text": _("How the relative is related to the person.")},
            "phone": {"help_text": _contact_help(_("The relative's phone number."))},
            "email": {"help_text": _contact_help(_("The relative's email address."))},
            "address": {"help_text": _contact_help(_("The relative's postal address."))},
            "notes": {"help_text": _("Free-text notes.")},
        }

    def organisation_id_of(self, instance: Relationship) -> Any:
        return instance.person.organisation_id
