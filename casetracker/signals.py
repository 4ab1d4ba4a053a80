"""Receivers of Django's own signals."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from casetracker.middleware import LANGUAGE_SESSION_KEY
from casetracker.models import UserPreference


@receiver(user_logged_in, dispatch_uid="casetracker.language_at_login")
def language_at_login(sender, request, user, **kwargs) -> None:
    """Carry the user's chosen language into the new session: one query at sign-in, none on
    each page."""
    if request is None:
        return
    language = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[LANGUAGE_SESSION_KEY] = language
