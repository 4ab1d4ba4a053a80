"""The user's own pages: their API tokens, created and revoked without the admin (issue #17:
the admin is closed to viewers and outside lawyers, who use the API too); two-factor sign-in
(enrolment, recovery codes, the second step of signing in) and "sign out everywhere" (issue
#10).

A new token's key is shown in the answer to the POST that created it, once: only its hash is
stored. Each user sees and revokes only their own tokens; another user's token answers 404,
exactly like one that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casetracker import mfa
from casetracker.api.tokens import api_token_create, api_token_revoke
from casetracker.forms import ApiTokenForm, ConfirmForm, MfaEnrolForm, OtpCodeForm
from casetracker.models import ApiToken
from casetracker.pages import private, safe_next
from casetracker.sessions import sign_out_everywhere


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The user's API tokens, and a form for a new one."""
    key = None
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                key = api_token_create(
                    acting_user=request.user, user=request.user, **form.cleaned_data
                )[1]
                form = ApiTokenForm()
            except ValidationError as exc:
                form.add_error(None, exc)
        if form.errors:
            status = 400
    context = {
        "form": form,
        "key": key,
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
        # From the session (read at sign-in and every few minutes): no query.
        "mfa_state": mfa.session_state(request),
    }
    return private(render(request, "casetracker/account.html", context, status=status))


@login_required
@require_POST
def account_token_revoke(request: HttpRequest) -> HttpResponse:
    token_id = request.POST.get("token", "")
    token = (
        ApiToken.objects.select_related("user").filter(user=request.user, pk=token_id).first()
        if _is_uuid(token_id)
        else None
    )
    if token is None:
        raise Http404(_("No such API token."))
    api_token_revoke(acting_user=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("account")


def _is_uuid(value: str) -> bool:
    try:
        ApiToken._meta.pk.to_python(value)
    except ValidationError:
        return False
    return True


# --- two-factor sign-in ------------------------------------------------------------------


@login_required
def account_mfa(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the key), confirm with a code from
    the app; the recovery codes are then shown, once. Enrolling again replaces the app and the
    codes (a new phone)."""
    enrolled = mfa.mfa_enrolled(request.user)
    if enrolled and not mfa.is_verified(request):
        # Replacing the app needs the second factor too, or a password alone would do it.
        return redirect(f"{reverse('verify')}?next={request.path}")
    form = MfaEnrolForm(request.POST if request.method == "POST" else None)
    status, codes, key = 200, None, None
    if request.method == "POST":
        if form.is_valid():
            key = mfa.enrolment_key_of(request.user, form.cleaned_data["signed_key"])
            if key is None:
                form.add_error(None, _("The page was open too long: scan the new code below."))
            else:
                codes = mfa.mfa_enrol(request, key=key, token=form.cleaned_data["code"])
                if codes is None:
                    form.add_error("code", _("That code is not the one the app shows now."))
        if form.errors:
            status = 400
    if codes is not None:
        context = {"codes": codes, "next": safe_next(request, "")}
        return private(render(request, "casetracker/mfa_codes.html", context))
    if key is None:
        key, signed = mfa.enrolment_key_new(request.user)
        if form.is_bound:  # the posted key had expired: the page shows a new one
            form.data = form.data.copy()
            form.data["signed_key"] = signed
        else:
            form.initial["signed_key"] = signed
    context = {
        "form": form,
        "enrolled": enrolled,
        "required": not enrolled and mfa.mfa_required(request.user),
        "codes_left": mfa.recovery_codes_left(request.user) if enrolled else 0,
        "qr": mfa.qr_svg(mfa.otpauth_url(request.user, key)),
        "key": mfa.key_base32(key),
        "next": safe_next(request, ""),
    }
    return private(render(request, "casetracker/mfa.html", context, status=status))


@login_required
@require_POST
def account_mfa_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, the old ones void (a verified session of an enrolled user only)."""
    if not (mfa.mfa_enrolled(request.user) and mfa.is_verified(request)):
        raise Http404(_("Set up two-factor sign-in first."))
    codes = mfa.recovery_codes_renew(request.user)
    return private(render(request, "casetracker/mfa_codes.html", {"codes": codes, "next": ""}))


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    next_url = safe_next(request, reverse("workspace:dashboard"))
    if mfa.is_verified(request) or not mfa.mfa_enrolled(request.user):
        mfa.session_state(request, fresh=True)  # e.g. an admin reset the devices meanwhile
        return redirect(next_url)
    form = OtpCodeForm(request.POST if request.method == "POST" else None)
    form.fields["code"].help_text = _(
        "The 6 digits your authenticator app shows now, or one of your recovery codes."
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and mfa.mfa_verify(request, token=form.cleaned_data["code"]):
            return redirect(next_url)
        if not form.errors:
            form.add_error(
                "code",
                _("That code does not work. Wait for the next one and try again."),
            )
        status = 400
    context = {"form": form, "next": next_url}
    return private(render(request, "registration/verify.html", context, status=status))


# --- signing out everywhere ----------------------------------------------------------------


@login_required
def account_sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        ended = sign_out_everywhere(request)
        messages.success(
            request,
            _(
                "Signed out everywhere: %(sessions)s sessions ended, %(tokens)s API tokens and "
                "%(links)s calendar feed links revoked."
            )
            % ended,
        )
        return redirect("login")
    status = 400 if form.errors else 200
    return private(
        render(request, "casetracker/sign_out_everywhere.html", {"form": form}, status=status)
    )
