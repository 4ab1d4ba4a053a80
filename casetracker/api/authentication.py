"""``Authorization: Bearer <key>`` (or ``Token <key>``) for API clients."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from casetracker.api.tokens import api_token_of
from casetracker.mfa import api_refusal


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the token as: Authorization: Bearer <token>.")
            )
        token = api_token_of(header[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        refusal = api_refusal(token.user)
        if refusal:
            raise exceptions.PermissionDenied(refusal)
        return token.user, token  # request.auth: the token, which the rate limit counts by

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Declares the Bearer token in the OpenAPI schema."""

    target_class = "casetracker.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token: `Authorization: Bearer ct_…`. Create one on your "
            "account page (/account/) or with `python manage.py create_api_token <username>`. "
            "A member of an organisation that requires two-factor sign-in must have enrolled "
            "before a token works (403 otherwise).",
        }
