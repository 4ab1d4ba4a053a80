"""Organisations and their members (issue #9: moved from ``cases``).

The tables keep the names ``cases`` gave them (``db_table``), and the membership constraint
its name, so that an existing database moves without touching a row
(organisations/migrations/0001_initial.py).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from casetracker.models import BaseModel
from organisations.choices import Role


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganisationQuerySet":
        """Organisations ``user`` belongs to; organisations never discover each other."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(memberships__user=user)


class Organisation(BaseModel):
    """An NGO or law firm: it owns its cases and people, and its members see them."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{2,10}$", _("Use 2–10 capital letters or digits."))],
        help_text=_("Short code used as the prefix of case references, e.g. “ALA”."),
    )
    require_mfa = models.BooleanField(
        _("require two-factor sign-in"),
        default=True,
        help_text=_(
            "Members must set up an authenticator app before they open any case or use the API."
        ),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention of closed cases (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Years after a case is closed when its admins are alerted to review it (anonymise "
            "its people, or keep it). Empty: no review. Nothing is ever deleted by itself."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        db_table = "cases_organisation"
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MembershipQuerySet":
        return self.filter(organisation__in=Organisation.objects.visible_to(user))


class Membership(BaseModel):
    """A user's role in an organisation."""

    STAFF_ROLES = (Role.ADMIN, Role.CASEWORKER)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role)

    objects = MembershipQuerySet.as_manager()
    constraint_fields = {"cases_membership_one_per_organisation": "user"}

    class Meta:
        db_table = "cases_membership"
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="cases_membership_one_per_organisation",
                violation_error_message=_("This user is already a member of this organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"
