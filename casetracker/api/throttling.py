"""Rate limits of the API (issue #10): per API token (or signed-in session) and per client IP
address. Over the limit the API answers ``429 Too Many Requests`` with ``Retry-After`` (seconds).

The rates are ``API_THROTTLE_RATES`` in the settings (``API_RATE_PER_TOKEN``,
``API_RATE_PER_IP``), read at each request so that a change of settings applies at once. The
counts are kept in Django's cache: Redis where ``CACHE_URL`` names it, so that every worker
process shares them.
"""

import math

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle


class _RateFromSettings(SimpleRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class TokenRateThrottle(_RateFromSettings):
    """Counts the requests of one API token; a browser session counts as its user's."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        token = getattr(request.auth, "pk", None)
        ident = f"token-{token}" if token is not None else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IpRateThrottle(_RateFromSettings):
    """Counts every request to the API from one IP address, signed in or not."""

    scope = "ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiIpRateMiddleware:
    """The per-address limit, before authentication: a client guessing tokens or passwords is
    slowed like any other (DRF would check its throttles only after authentication and the
    permissions, which refuse such a client first)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            throttle = IpRateThrottle()
            if not throttle.allow_request(request, None):
                wait = throttle.wait()
                response = JsonResponse(
                    {"detail": _("Too many requests from this address: wait and try again.")},
                    status=429,
                )
                response["Retry-After"] = str(max(1, math.ceil(wait or 1)))
                return response
        return self.get_response(request)


RATE_LIMITED = {
    "description": "Too many requests from this token or IP address: wait the seconds that "
    "Retry-After gives, then send the request again.",
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before the next request.",
            "schema": {"type": "integer"},
        }
    },
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


def document_rate_limits(result, generator, request, public):
    """drf-spectacular hook: every operation may answer 429 (``RATE_LIMITED``)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", RATE_LIMITED)
    return result
