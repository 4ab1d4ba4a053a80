"""Private calendar feeds (DESIGN §6, issue 3 point 6).

A calendar app fetches a user's feed without a session, so the address itself is the secret.
Only the token's SHA-256 is stored, as for API tokens (DESIGN §4): a copy of the database
cannot be turned into working feed addresses. Rows are never deleted: regenerating revokes the
old feed and makes a new one, so the table is the history of who had a feed when.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casetracker.models import BaseModel
from organisations.choices import Role
from organisations.models import Membership


def token_hash(token: str) -> str:
    """The stored form of a feed token. The token has 256 random bits, so a plain SHA-256 is
    enough: there is nothing to guess, and a salt would stop the lookup by hash."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def active(self) -> "CalendarFeedQuerySet":
        return self.filter(revoked_at__isnull=True)

    def for_token(self, token: str) -> "CalendarFeedQuerySet":
        """The active feed whose address holds ``token``, if its user may still sign in."""
        return self.active().filter(token_hash=token_hash(token), user__is_active=True)

    def visible_to(self, user) -> "CalendarFeedQuerySet":
        """One's own feeds; an organisation admin also sees its members' (to revoke the feed
        of a lost phone); a platform operator sees all. No token is ever shown."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        admin_orgs = Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")
        members = Membership.objects.filter(organisation__in=admin_orgs).values("user_id")
        return self.filter(Q(user=user) | Q(user__in=members))


class CalendarFeed(BaseModel):
    """A user's private iCalendar feed of the open deadlines they can see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="%(app_label)s_%(class)s_one_active_per_user",
                violation_error_message=_(
                    "You already have a calendar feed: regenerate it to get a new address."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
