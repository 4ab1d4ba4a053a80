"""Cross-cutting views: the health check and the language switch."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casetracker.middleware import LANGUAGE_SESSION_KEY
from casetracker.pages import safe_next
from casetracker.services import user_language_set


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and docker-compose."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language. A signed-in user's choice is remembered on their account
    (every device, every later sign-in); anyone's is kept in a cookie for this browser.

    Works without JavaScript: a form with a select and a button, then back to where it was.
    """
    language = request.POST.get("language", "")
    codes = sorted(code for code, _name in settings.LANGUAGES)
    if language not in codes:
        return HttpResponseBadRequest(
            _("language: choose one of %(codes)s.") % {"codes": ", ".join(codes)}
        )
    if request.user.is_authenticated:
        user_language_set(acting_user=request.user, language=language)
        request.session[LANGUAGE_SESSION_KEY] = language
    home = reverse("login") if not request.user.is_authenticated else "/"
    response = redirect(safe_next(request, home))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
