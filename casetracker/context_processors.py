"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def languages(request: HttpRequest) -> dict:
    """``interface_languages``: (code, name in its own language) for the language switch."""
    return {
        "interface_languages": [
            (code, _OWN_NAMES.get(code, name)) for code, name in settings.LANGUAGES
        ]
    }


# Each language named in itself, so that someone who cannot read the current one finds theirs.
_OWN_NAMES = {"en": "English", "ru": "Русский"}
