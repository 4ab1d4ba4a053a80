from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cases.choices import AccessRole, CaseStatus, PartyRole
from casetracker.models import BaseModel
from organisations.choices import Role
from organisations.models import Membership, Organisation


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        """The access choke point for case data (DESIGN §4).

        A member of the owning organisation sees its unrestricted cases; its admins see all of
        them; anyone sees a case shared with them through CaseAccess. Nothing else, superusers
        included: need-to-know has no bypass.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        memberships = Membership.objects.filter(user=user)
        return self.filter(
            Q(organisation__in=memberships.values("organisation_id"), restricted=False)
            | Q(organisation__in=memberships.filter(role=Role.ADMIN).values("organisation_id"))
            | Q(id__in=CaseAccess.objects.filter(user=user).values("case_id"))
        )


class CaseScopedQuerySet(models.QuerySet):
    """Visibility of a record reached through a case: the case's visibility.

    ``case_path`` is the lookup from the model to its case, e.g. ``"request__case"``.
    """

    case_path = "case"

    def visible_to(self, user) -> models.QuerySet:
        return self.filter(**{f"{self.case_path}__in": Case.objects.visible_to(user)})


class Case(BaseModel):
    """A matter the organisation works on: one person, or a group of people in one proceeding."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("organisation")
    )
    reference = models.CharField(
        _("reference"),
        max_length=40,
        help_text=_("Unique within the organisation, e.g. “ALA-2010-001”."),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=6, choices=CaseStatus, default=CaseStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_(
            "Visible only to the people it is shared with and to the organisation's admins."
        ),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_cases",
        verbose_name=_("lead"),
    )
    parties = models.ManyToManyField(
        "people.Person", through="CaseParty", related_name="cases", verbose_name=_("parties")
    )

    objects = CaseQuerySet.as_manager()
    constraint_fields = {
        "cases_case_closed_after_opened": "closed_on",
        "cases_case_closed_on_iff_closed": "closed_on",
    }

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                name="%(app_label)s_%(class)s_unique_reference",
                violation_error_message=_(
                    "Another case of this organisation already has this reference."
                ),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="%(app_label)s_%(class)s_closed_after_opened",
                violation_error_message=_("A case cannot close before it opened."),
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.OPEN, closed_on__isnull=True)
                | Q(status=CaseStatus.CLOSED, closed_on__isnull=False),
                name="%(app_label)s_%(class)s_closed_on_iff_closed",
                violation_error_message=_(
                    "A closed case needs its closing date; an open case has none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def record_url(self, record: models.Model) -> str:
        """The case page at one of its records, whose HTML id there is ``<model_name>-<pk>``."""
        return f"{self.get_absolute_url()}#{record._meta.model_name}-{record.pk}"

    def has_party(self, person_id) -> bool:
        return self.case_parties.filter(person_id=person_id).exists()

    def clean(self) -> None:
        errors: dict = {}
        if self.lead_id and self.organisation_id:
            is_member = Membership.objects.filter(
                user_id=self.lead_id, organisation_id=self.organisation_id
            ).exists()
            if not is_member:
                errors["lead"] = _("The lead must be a member of the case's organisation.")
        if errors:
            raise ValidationError(errors)


class CaseParty(BaseModel):
    """A person's part in a case. A group case has many principals."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="case_parties", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="case_parties",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=PartyRole, default=PartyRole.PRINCIPAL
    )

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case party")
        verbose_name_plural = _("case parties")
        ordering = ["role", "person__family_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                name="%(app_label)s_%(class)s_once_per_case",
                violation_error_message=_("This person is already a party to this case."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.case.record_url(self)

    def clean(self) -> None:
        if (
            self.case_id
            and self.person_id
            and self.person.organisation_id != self.case.organisation_id
        ):
            raise ValidationError(
                {"person": _("Only people of the case's organisation can be parties to it.")}
            )


class CaseAccess(BaseModel):
    """One case shared with one user, e.g. an outside lawyer."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="access", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_access",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=12, choices=AccessRole, default=AccessRole.LAWYER)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("case access")
        verbose_name_plural = _("case access")
        ordering = ["case", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                name="%(app_label)s_%(class)s_once_per_user",
                violation_error_message=_("This case is already shared with this user."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} → {self.user} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return self.case.record_url(self)
