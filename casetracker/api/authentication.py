"""``Authorization: Bearer <key>`` (or ``Token <key>``) for API clients."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from casetracker.api.tokens import api_token_user


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
        user = api_token_user(header[1].decode(errors="replace"))
        if user is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        return user, None

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
