"""Reads every app shares: "the record, or 404" (DESIGN §3: a record the user may not see answers
exactly like one that does not exist)."""

from typing import Any

from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _


def visible_get(*, user, queryset: models.QuerySet, pk: Any, message: str = "") -> models.Model:
    """The record ``pk`` of ``queryset`` if ``user`` may see it (its ``visible_to``); the same
    404 for a record that is missing and one that is hidden (DESIGN §3)."""
    record = queryset.visible_to(user).filter(pk=pk).first()
    if record is None:
        raise Http404(message or _("No such record."))
    return record
