"""Two-factor sign-in (issue #10): TOTP apps and one-time recovery codes, with django-otp.

django-otp keeps the devices (``TOTPDevice``, and a ``StaticDevice`` holding the recovery
codes) and marks a session verified (``request.user.is_verified()``) once a code matched. This
module says what a user must do, and the middleware makes them do it:

- a user with a confirmed device signs in with their password, then a code (``/accounts/verify/``);
  until then the session opens nothing but that page and signing out;
- a user whom an organisation's ``require_mfa`` obliges, and who has no device, is sent to
  enrolment (``/account/two-factor/``) from every page and gets 403 from the API;
- an API token counts as a second factor only for a user who has enrolled: the token of an
  obliged user without a device is refused with 403 (``api_refusal``).

Whether an organisation obliges its members is ``organisations``' rule; it registers it at
start-up (``mfa_rule_register``) since ``casetracker`` imports no app.
"""

import base64
import time
from collections.abc import Callable

import segno
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

RECOVERY_CODES = 10
ENROLMENT_SALT = "casetracker.mfa.enrolment"
ENROLMENT_MAX_AGE = 3600  # seconds to scan the code and confirm
STATE_KEY = "mfa_state"  # (state, when read): what the session must do, read at most every
# MFA_RECHECK_SECONDS so that a page asks the database nothing

ENROLLED, REQUIRED, FREE = "enrolled", "required", "free"

_rules: list[Callable[[object], bool]] = []


def mfa_rule_register(rule: Callable[[object], bool]) -> None:
    """``rule(user)`` answers whether ``user`` must use two-factor sign-in."""
    _rules[:] = [rule]


def mfa_required(user) -> bool:
    return any(rule(user) for rule in _rules)


def mfa_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_state_of(user) -> str:
    if mfa_enrolled(user):
        return ENROLLED
    return REQUIRED if mfa_required(user) else FREE


def session_state(request: HttpRequest, *, user=None, fresh: bool = False) -> str:
    """What this session's user must do, read from the database at most every
    ``MFA_RECHECK_SECONDS`` (or now, with ``fresh``)."""
    state, read_at = request.session.get(STATE_KEY, (None, 0))
    if fresh or state is None or time.time() - read_at > settings.MFA_RECHECK_SECONDS:
        state = mfa_state_of(user or request.user)
        request.session[STATE_KEY] = (state, time.time())
    return state


# --- enrolment ----------------------------------------------------------------------------


def enrolment_key_new(user) -> tuple[str, str]:
    """A new secret to enrol (hex), and the same signed for the form to send back: the page
    keeps nothing on the server until the code from the app confirms it."""
    key = random_hex(20)
    return key, signing.dumps({"key": key, "user": user.pk}, salt=ENROLMENT_SALT)


def enrolment_key_of(user, signed: str) -> str | None:
    """The secret a form sent back, if this page signed it for ``user`` within the hour."""
    try:
        value = signing.loads(signed, salt=ENROLMENT_SALT, max_age=ENROLMENT_MAX_AGE)
    except signing.BadSignature:
        return None
    return value["key"] if value.get("user") == user.pk else None


def otpauth_url(user, key: str) -> str:
    return TOTPDevice(user=user, key=key, name=_("Authenticator app")).config_url


def qr_svg(url: str) -> str:
    """The enrolment QR code as an SVG data URI (the CSP allows ``img-src data:``)."""
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


def key_base32(key: str) -> str:
    """The secret as an authenticator app takes it when typed in (groups of four letters)."""
    text = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_now(key: str) -> str:
    """The code an app shows now for ``key`` (hex): for tests and the demo's README."""
    return f"{TOTP(bytes.fromhex(key)).token():06d}"


@transaction.atomic
def mfa_enrol(request: HttpRequest, *, key: str, token: str) -> list[str] | None:
    """Confirm the enrolment of ``key`` with a code from the app: keep the device, make the
    recovery codes, mark this session verified. Returns the codes (shown once), or None if the
    code is wrong."""
    user = request.user
    device = TOTPDevice(user=user, key=key, name=_("Authenticator app"), confirmed=True)
    step = _matching_step(device, token)
    if step is None:
        return None
    mfa_devices_delete(user)
    device.last_t = step  # the code just used cannot sign in again
    device.save()
    codes = recovery_codes_renew(user)
    otp_login(request, device)
    request.session[STATE_KEY] = (ENROLLED, time.time())
    return codes


def _matching_step(device: TOTPDevice, token: str) -> int | None:
    """The time step whose code ``token`` is (within the device's tolerance), or None."""
    token = token.replace(" ", "")
    if not token.isdigit():
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return totp.t() if totp.verify(int(token), device.tolerance) else None


def recovery_codes_renew(user) -> list[str]:
    """New recovery codes replace the old ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mfa_devices_delete(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- the second step of signing in -----------------------------------------------------------


def mfa_verify(request: HttpRequest, *, token: str) -> bool:
    """Check a code from the app, or a recovery code (used up), and mark the session verified.
    A wrong code makes the device wait before the next try (django-otp's throttling)."""
    # An app's code may be typed "123 456"; a recovery code is lowercase letters and digits.
    device = match_token(request.user, token.replace(" ", "").strip().lower())
    if device is None:
        return False
    otp_login(request, device)
    return True


def is_verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


# --- the middleware --------------------------------------------------------------------------

# What a session that still owes its second factor may reach: signing in and out, the
# enrolment pages, the language switch, static files and the health check.
OPEN_PREFIXES = ("/accounts/", "/account/two-factor/", "/language/", "/static/", "/health/")


class MfaMiddleware:
    """Sends a signed-in user who owes a second factor to the page that takes it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        state = session_state(request)
        if state == ENROLLED and not is_verified(request):
            return self._refuse(
                request,
                "verify",
                _("Enter the code from your authenticator app to continue."),
            )
        if state == REQUIRED:
            return self._refuse(
                request,
                "account_mfa",
                _(
                    "Your organisation requires two-factor sign-in: set it up on your account "
                    "page (/account/two-factor/) before you open any case."
                ),
            )
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, page: str, message: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        return redirect(f"{reverse(page)}?next={request.get_full_path()}")


def api_refusal(user) -> str:
    """Why an API token of ``user`` is refused ("" if it is not): an obliged user must enrol
    before a token stands for a second factor."""
    if not mfa_enrolled(user) and mfa_required(user):
        return _(
            "Your organisation requires two-factor sign-in: set it up on your account page "
            "(/account/two-factor/) before you use the API."
        )
    return ""
