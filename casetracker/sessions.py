"""How long a signed-in session lasts, and "sign out everywhere" (issue #10).

A session ends after ``SESSION_IDLE_MINUTES`` without a request (30 by default) and
``SESSION_MAX_HOURS`` after sign-in (12), whatever the activity; the next request is then
anonymous and a page sends the user to sign in again. The time of the last request is written
at most once a minute, so a page asks the database nothing more.

"Sign out everywhere" ends every session of the user, on every device, and revokes their API
tokens and whatever other apps register (``cases`` revokes the calendar feed links).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from casetracker.models import ApiToken

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
SEEN_WRITE_EVERY = 60  # seconds: how stale the last-request time may be before it is written


@receiver(user_logged_in)
def _on_sign_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    from casetracker.mfa import session_state

    session_state(request, user=user, fresh=True)


def session_expired(session, now: float) -> str:
    """Why the session is over ("" while it is not)."""
    signed_in, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if signed_in is None or seen is None:
        return ""  # a session from before these checks; its cookie age still bounds it
    if now - signed_in > settings.SESSION_MAX_HOURS * 3600:
        return _("You were signed out %(hours)s hours after you signed in. Sign in again.") % {
            "hours": settings.SESSION_MAX_HOURS
        }
    if now - seen > settings.SESSION_IDLE_MINUTES * 60:
        return _(
            "You were signed out after %(minutes)s minutes without activity. Sign in again."
        ) % {"minutes": settings.SESSION_IDLE_MINUTES}
    return ""


class SessionLifetimeMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            reason = session_expired(request.session, now)
            if reason:
                logout(request)
                messages.info(request, reason)
            elif now - request.session.get(SEEN_AT, 0) > SEEN_WRITE_EVERY:
                request.session[SEEN_AT] = now
        return self.get_response(request)


# --- signing out everywhere ------------------------------------------------------------------

_revokers: list[Callable[..., int]] = []


def sign_out_revoker_register(revoker: Callable[..., int]) -> None:
    """``revoker(user=...)`` revokes what else lets ``user`` in (a feed link); called at start-up
    by the app that owns it."""
    if revoker not in _revokers:
        _revokers.append(revoker)


def user_sessions(user) -> list[Session]:
    """The user's live sessions (database sessions: each is read, none is trusted blindly)."""
    found = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            found.append(session)
    return found


@transaction.atomic
def sign_out_everywhere(request: HttpRequest) -> dict[str, int]:
    """End every session of the signed-in user (this one too), revoke their API tokens and the
    registered links. Returns what was ended, by kind."""
    user = request.user
    sessions = user_sessions(user)
    Session.objects.filter(session_key__in=[s.session_key for s in sessions]).delete()
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    links = sum(revoker(user=user) for revoker in _revokers)
    logout(request)
    return {"sessions": len(sessions), "tokens": tokens, "links": links}
