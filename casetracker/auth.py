"""The password check at sign-in, with the password policy's one rule that applies there: a
public password (the demo's) opens nothing unless DEBUG is on (issue #10)."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpResponse
from django.shortcuts import render


class PasswordPolicyBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.DEBUG and password in settings.PUBLIC_PASSWORDS:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (the browser's and the admin's): the same page
    whether or not the username exists, with how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
