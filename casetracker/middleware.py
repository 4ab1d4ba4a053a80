"""Middleware for every page: a strict Content-Security-Policy and the user's own language."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

#: The session key holding the signed-in user's chosen language (copied from their
#: UserPreference at sign-in, so that no page spends a query on it).
LANGUAGE_SESSION_KEY = "casetracker_language"


class ContentSecurityPolicyMiddleware:
    """Send ``settings.CONTENT_SECURITY_POLICY`` with every response that has none.

    Scripts and styles come only from our own static files: no inline script, no inline style,
    no eval. A page that needs more is a bug in the page, not a reason to loosen the policy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = "; ".join(
            f"{directive} {' '.join(sources)}"
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class UserLanguageMiddleware:
    """Speak the language the signed-in user chose (UserPreference), on any device.

    Runs after LocaleMiddleware (which follows the cookie and the browser) and after
    authentication; the user's own choice wins.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get(LANGUAGE_SESSION_KEY)
        if language in self.codes and request.user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
