"""Creating, regenerating and revoking a user's private calendar feed.

The token is returned once, to be shown once; only its hash is stored. A feed belongs to no
case and no organisation, so it has no place on a case timeline: the feed rows themselves
(never deleted; ``revoked_at``/``revoked_by``) are its audit trail, and each change is also
written to the ``casetracker.security`` log.
"""

import logging
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CalendarFeed
from cases.models.feeds import token_hash
from organisations.choices import Role
from organisations.models import Membership

security_log = logging.getLogger("casetracker.security")


def _lock_user(user) -> None:
    # Serialises one user's feed changes: two "regenerate" clicks in a row must leave exactly
    # one active feed, not fail on the one-active-feed constraint.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _require_signed_in(user) -> None:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to manage your calendar feed."))


def _new_feed(user) -> tuple[CalendarFeed, str]:
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user=user, token_hash=token_hash(token))
    feed.full_clean()
    try:
        with transaction.atomic():
            feed.save(force_insert=True)
    except IntegrityError as exc:
        raise ValidationError(
            _("You already have a calendar feed: regenerate it to get a new address.")
        ) from exc
    return feed, token


@transaction.atomic
def calendar_feed_create(*, acting_user) -> tuple[CalendarFeed, str]:
    """Give ``acting_user`` a calendar feed; return it and its token (shown once, never
    stored). Refused if they already have one: regenerating is the explicit way to replace it.
    """
    _require_signed_in(acting_user)
    _lock_user(acting_user)
    if CalendarFeed.objects.active().filter(user=acting_user).exists():
        raise ValidationError(
            _("You already have a calendar feed: regenerate it to get a new address.")
        )
    feed, token = _new_feed(acting_user)
    security_log.info("calendar feed %s created by user %s", feed.pk, acting_user.pk)
    return feed, token


@transaction.atomic
def calendar_feed_regenerate(*, acting_user) -> tuple[CalendarFeed, str]:
    """Revoke ``acting_user``'s feed, if any, and give them a new one: the old address stops
    working at once (a leaked or shared address is fixed with one click)."""
    _require_signed_in(acting_user)
    _lock_user(acting_user)
    for old in CalendarFeed.objects.active().filter(user=acting_user):
        _revoke(old, acting_user)
    feed, token = _new_feed(acting_user)
    security_log.info("calendar feed %s created by user %s", feed.pk, acting_user.pk)
    return feed, token


def _may_revoke(acting_user, feed: CalendarFeed) -> bool:
    if not acting_user.is_authenticated or not acting_user.is_active:
        return False
    if acting_user.is_superuser or feed.user_id == acting_user.pk:
        return True
    admin_orgs = Membership.objects.filter(user=acting_user, role=Role.ADMIN).values(
        "organisation_id"
    )
    return Membership.objects.filter(user_id=feed.user_id, organisation__in=admin_orgs).exists()


def _revoke(feed: CalendarFeed, acting_user) -> None:
    feed.revoked_at, feed.revoked_by = timezone.now(), acting_user
    feed.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    security_log.info("calendar feed %s revoked by user %s", feed.pk, acting_user.pk)


@transaction.atomic
def calendar_feed_revoke(*, acting_user, feed: CalendarFeed) -> CalendarFeed:
    """Stop a feed's address from working. Its owner may, and so may an admin of an
    organisation the owner belongs to, or a platform operator. Revoking twice changes nothing.
    """
    if not _may_revoke(acting_user, feed):
        raise PermissionDenied(
            _("Only the feed's owner or an admin of their organisation may revoke it.")
        )
    if feed.revoked_at is None:
        _revoke(feed, acting_user)
    return feed


def calendar_feed_use(*, token: str) -> CalendarFeed | None:
    """The active feed whose address holds ``token``, stamped as used now; None for an
    unknown or revoked token, or a user who may no longer sign in (the feed view answers 404
    alike). A calendar app calls this, not a signed-in user: there is no acting user."""
    feed = CalendarFeed.objects.for_token(token).select_related("user").first()
    if feed is not None:
        feed.last_used_at = timezone.now()
        # One UPDATE of one column: feeds are fetched often, and ``updated_at`` is for changes.
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=feed.last_used_at)
    return feed


@transaction.atomic
def calendar_feeds_revoke_all(*, user) -> int:
    """Revoke every active feed of ``user`` ("sign out everywhere"); returns how many."""
    feeds = list(CalendarFeed.objects.active().filter(user=user))
    for feed in feeds:
        _revoke(feed, user)
    return len(feeds)
