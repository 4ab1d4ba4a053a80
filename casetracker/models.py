"""Abstract bases shared by every app's models."""

import uuid

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """A record with a random public UUID (never a sequential id in a URL) and timestamps.

    A violated constraint is reported against the field a user would correct (API and forms
    show it next to that field): the last field of a unique constraint, or the field named in
    ``constraint_fields`` for a check constraint.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    constraint_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            raise ValidationError(self._errors_by_field(exc.error_dict)) from None

    def _errors_by_field(self, error_dict: dict) -> dict:
        field_of = {}
        for constraint in self._meta.constraints:
            field = (
                self.constraint_fields.get(constraint.name)
                or (getattr(constraint, "fields", None) or [None])[-1]
            )
            if field:
                field_of[str(constraint.violation_error_message)] = field
        result: dict = {}
        for key, errors in error_dict.items():
            for error in errors:
                target = field_of.get(error.message, key) if key == NON_FIELD_ERRORS else key
                result.setdefault(target, []).append(error)
        return result


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(BaseModel):
    """A key for REST API clients. It acts as its user, is shown once, and only its SHA-256 is
    stored; it expires and can be revoked. The prefix finds the row without a timing leak."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    STATES = {"active": _("active"), "expired": _("expired"), "revoked": _("revoked")}

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def state(self) -> str:
        """``revoked``, ``expired`` or ``active``: one of ``STATES``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"

    def get_state_display(self) -> str:
        return str(self.STATES[self.state])


class UserPreference(BaseModel):
    """What a user chose for themselves, kept across devices: today the interface language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The interface language; empty follows the browser."),
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return str(self.user)
