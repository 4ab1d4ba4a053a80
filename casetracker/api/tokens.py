"""Creating, checking and revoking API tokens."""

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casetracker.models import ApiToken

KEY_PREFIX = "ct_"
DEFAULT_DAYS = 90
MAX_DAYS = 366


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, acting_user, user, name: str, expires_days: int = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key, which is never shown again."""
    if acting_user != user and not acting_user.is_superuser:
        raise PermissionDenied(_("You may create API tokens only for yourself."))
    if not 1 <= expires_days <= MAX_DAYS:
        raise ValidationError(
            {"expires_days": _("A token lives from 1 to %(max)s days.") % {"max": MAX_DAYS}}
        )
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=_hash(key),
        expires_at=timezone.now() + datetime.timedelta(days=expires_days),
    )
    token.full_clean()
    token.save(force_insert=True)
    return token, key


@transaction.atomic
def api_token_revoke(*, acting_user, token: ApiToken) -> ApiToken:
    if acting_user != token.user and not acting_user.is_superuser:
        raise PermissionDenied(_("You may revoke only your own API tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_user(key: str):
    """The active user a key belongs to, or None (unknown, expired, revoked or disabled)."""
    token = api_token_of(key)
    return None if token is None else token.user


def api_token_of(key: str) -> ApiToken | None:
    """The active token of ``key`` (its user loaded and active), stamped as used, or None."""
    if not key.startswith(KEY_PREFIX) or "_" not in key[len(KEY_PREFIX) :]:
        return None
    prefix = key[len(KEY_PREFIX) :].split("_", 1)[0]
    token = ApiToken.objects.active().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(key)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
