"""People: the persons an organisation defends, their names in every script, their relatives."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from casetracker.crypto import EncryptedCharField, EncryptedEmailField, EncryptedTextField
from casetracker.models import BaseModel
from organisations.models import Membership, Organisation
from people.access import case_reach
from people.choices import DatePrecision, NameKind, RelationshipKind, Script, Sex

STATELESS = "XX"

language_code_validator = RegexValidator(
    r"^[a-z]{2,3}$", _("Use ISO 639 language codes such as “ru”, “uz” or “tg”.")
)


def _validate_languages(value: list) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_('Give a list of ISO 639 language codes, e.g. ["uz", "ru"].'))
    for code in value:
        language_code_validator(code)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user, *, merged: bool = False) -> "PersonQuerySet":
        """People ``user`` may see (DESIGN §4): a party to a case they can see, or any person of
        an organisation where they are a caseworker or admin.

        People's visibility follows case visibility, which ``cases`` defines and registers
        (``people.access.case_reach``): ``people`` may not import ``cases``.

        A record merged into another (issue #12) is left out of every list, search and picker;
        ``merged=True`` keeps it, for the reads of history (the timeline of its past events).
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        staff_orgs = Membership.objects.filter(user=user, role__in=Membership.STAFF_ROLES).values(
            "organisation_id"
        )
        via_cases = case_reach().parties(user).values("person_id")
        people = self.filter(Q(organisation__in=staff_orgs) | Q(id__in=via_cases))
        return people if merged else people.filter(merged_into__isnull=True)


class Person(BaseModel):
    """A person the organisation defends or whose case it follows."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    family_name = models.CharField(_("family name"), max_length=150)
    given_name = models.CharField(_("given name"), max_length=150, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    name_native = models.CharField(
        _("name in own script"),
        max_length=300,
        blank=True,
        help_text=_("The full name as the person writes it, e.g. in Cyrillic or Arabic script."),
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("For “month”, store the 1st of the month; for “year”, store 1 January."),
    )
    birth_place = models.CharField(_("place of birth"), max_length=200, blank=True)
    citizenships = CountryField(
        _("citizenships"),
        multiple=True,
        blank=True,
        help_text=_("Every citizenship held; choose “Stateless” for a stateless person."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[_validate_languages],
        help_text=_('ISO 639 codes of the languages the person speaks, e.g. ["uz", "ru"].'),
    )
    # Encrypted at rest (casetracker/crypto.py): never searched, filtered or ordered on.
    phone = EncryptedCharField(_("phone"), max_length=50, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    # Search index: every spelling of the person's names, raw and transliterated (see
    # people/search.py). Kept current by the services; never edited by hand.
    search_text = models.TextField(editable=False, default="")
    # Set by workspace.services.person_anonymise: the names and details are gone for good.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    # Set by workspace.services.person_merge (issue #12): this record was a duplicate of
    # ``merged_into``, every link moved there, and its old address redirects there.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["organisation", "family_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.given_name, self.patronymic) if p)

    @property
    def is_stateless(self) -> bool:
        return [c.code for c in self.citizenships] == [STATELESS]

    def clean(self) -> None:
        if self.languages is None:  # a cleared form field: no languages known
            self.languages = []
        errors = {}
        codes = [getattr(c, "code", c) for c in self.citizenships]
        if STATELESS in codes and len(codes) > 1:
            errors["citizenships"] = _(
                "A stateless person holds no citizenship: remove “Stateless” or the others."
            )
        precision = self.birth_date_precision
        if self.birth_date and (
            (precision == DatePrecision.MONTH and self.birth_date.day != 1)
            or (
                precision == DatePrecision.YEAR
                and (self.birth_date.month, self.birth_date.day) != (1, 1)
            )
        ):
            errors["birth_date"] = _(
                "With precision “month” store the 1st of the month; with “year”, 1 January."
            )
        if errors:
            raise ValidationError(errors)


_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


def detect_script(text: str) -> str:
    """The script a name is written in, judged by its letters."""
    if _CYRILLIC.search(text):
        return Script.CYRILLIC
    if _ARABIC.search(text):
        return Script.ARABIC
    if _LATIN.search(text):
        return Script.LATIN
    return Script.OTHER


class PersonScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> models.QuerySet:
        return self.filter(person__in=Person.objects.visible_to(user))


class PersonName(BaseModel):
    """Another spelling of a person's name: transliteration, alias, former name, misspelling."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="names", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=300)
    script = models.CharField(_("script"), max_length=10, choices=Script, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=NameKind, default=NameKind.TRANSLITERATION
    )

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("other spelling")
        verbose_name_plural = _("other spellings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"],
                name="%(app_label)s_%(class)s_unique_per_person",
                violation_error_message=_("This person already has this spelling."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{self.person.get_absolute_url()}#{self._meta.model_name}-{self.pk}"

    def clean(self) -> None:
        self.name = " ".join(self.name.split())
        if not self.script:
            self.script = detect_script(self.name)


class Relationship(BaseModel):
    """A relative or contact of a person, either a recorded Person or a name with contacts."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="relationships",
        verbose_name=_("person"),
    )
    relative = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relative_of",
        verbose_name=_("relative (recorded person)"),
    )
    relative_name = models.CharField(
        _("relative's name"),
        max_length=300,
        blank=True,
        help_text=_("For a relative who is not recorded as a person."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RelationshipKind)
    phone = EncryptedCharField(_("phone"), max_length=50, blank=True)
    email = EncryptedEmailField(_("email"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    objects = PersonScopedQuerySet.as_manager()
    constraint_fields = {
        "people_relationship_names_relative": "relative_name",
        "people_relationship_not_self": "relative",
    }

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["kind", "relative_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(relative__isnull=False) | ~Q(relative_name=""),
                name="%(app_label)s_%(class)s_names_relative",
                violation_error_message=_("Choose a recorded person or type the relative's name."),
            ),
            models.CheckConstraint(
                condition=~Q(relative=models.F("person")),
                name="%(app_label)s_%(class)s_not_self",
                violation_error_message=_("A person cannot be their own relative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.relative or self.relative_name}"

    def get_absolute_url(self) -> str:
        return f"{self.person.get_absolute_url()}#{self._meta.model_name}-{self.pk}"

    def clean(self) -> None:
        if (
            self.relative_id
            and self.person_id
            and self.relative.organisation_id != self.person.organisation_id
        ):
            raise ValidationError(
                {"relative": _("The relative must be recorded in the same organisation.")}
            )


class NotDuplicateQuerySet(models.QuerySet):
    def partners_of(self, person) -> models.QuerySet:
        """The ids of the people marked "not a duplicate" of ``person``, for ``pk__in``."""
        pk = getattr(person, "pk", person)
        return Person.objects.filter(
            Q(not_duplicate_left__other_id=pk) | Q(not_duplicate_right__person_id=pk)
        ).values("pk")


class NotDuplicate(BaseModel):
    """Two people of one organisation that a user judged to be different people (issue #12):
    the pair is never proposed as duplicates again.

    One row per pair, whichever way it was marked: ``person`` holds the smaller id, ``other``
    the greater (``NotDuplicate.ordered``), and a constraint guards the order.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="not_duplicate_left",
        verbose_name=_("person"),
    )
    other = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="not_duplicate_right",
        verbose_name=_("other person"),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    reason = models.TextField(_("reason"), blank=True)

    objects = NotDuplicateQuerySet.as_manager()
    constraint_fields = {"people_notduplicate_ordered": "other"}

    class Meta:
        verbose_name = _("pair marked not a duplicate")
        verbose_name_plural = _("pairs marked not duplicates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "other"],
                name="%(app_label)s_%(class)s_once_per_pair",
                violation_error_message=_("This pair is already marked as not a duplicate."),
            ),
            models.CheckConstraint(
                condition=Q(person__lt=models.F("other")),
                name="%(app_label)s_%(class)s_ordered",
                violation_error_message=_(
                    "Store the pair with the smaller id first; a person is never their own "
                    "duplicate."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ≠ {self.other}"

    @staticmethod
    def ordered(a: Person, b: Person) -> tuple[Person, Person]:
        """The pair in the stored order: the smaller id first."""
        return (a, b) if a.pk < b.pk else (b, a)
