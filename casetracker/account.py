"""The user's own page: their API tokens, created and revoked without the admin (issue #17:
the admin is closed to viewers and outside lawyers, who use the API too).

A new token's key is shown in the answer to the POST that created it, once: only its hash is
stored. Each user sees and revokes only their own tokens; another user's token answers 404,
exactly like one that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casetracker.api.tokens import api_token_create, api_token_revoke
from casetracker.forms import ApiTokenForm
from casetracker.models import ApiToken
from casetracker.pages import private


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
