"""Generic write helpers for the apps' services (HackSoft's ``model_update`` pattern).

Every service validates with ``full_clean()`` and saves inside its own transaction; these
helpers do the repetitive part and turn a database constraint that fires in a race (two
writers passing ``clean()`` at once) into the same ValidationError a single writer would get.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from casetracker.audit import changed, snapshot
from casetracker.models import UserPreference

M = TypeVar("M", bound=models.Model)

# Constraints that exist only in PostgreSQL migrations, not in any model's Meta.
DATABASE_ONLY_CONSTRAINTS: dict[str, tuple[str, str]] = {
    "cases_detention_no_overlap": (
        "started_on",
        "Detentions of one person cannot overlap.",
    ),
}


def check_fields(model: type[models.Model], data: dict[str, Any], allowed: Iterable[str]) -> None:
    """Reject any field a caller may not set here, naming it."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in unknown},
        )


def _save(instance: models.Model, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError as exc:
        raise _integrity_to_validation(instance, exc) from exc


def _integrity_to_validation(instance: models.Model, exc: IntegrityError) -> ValidationError:
    text = str(exc)
    for name, (field, message) in DATABASE_ONLY_CONSTRAINTS.items():
        if name in text:
            return ValidationError({field: _(message)})
    for constraint in instance._meta.constraints:
        if constraint.name in text:
            return ValidationError(str(constraint.violation_error_message))
    return ValidationError(_("The record conflicts with another one: %(error)s") % {"error": text})


def model_create(
    *, model: type[M], data: dict[str, Any], allowed: Iterable[str], **relations: Any
) -> M:
    """Create a validated instance of ``model`` from ``data`` (only ``allowed`` fields)."""
    check_fields(model, data, allowed)
    instance = model(**relations, **data)
    instance.full_clean()
    _save(instance, force_insert=True)
    return instance


def model_update(
    *, instance: models.Model, data: dict[str, Any], allowed: Iterable[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply ``data`` to ``instance``, validate and save; return what changed as (before, after).

    Saves nothing (and returns two empty dicts) when nothing changed.
    """
    check_fields(type(instance), data, allowed)
    before = snapshot(instance)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    old, new = changed(before, snapshot(instance))
    if new:
        _save(instance)
    return old, new


def user_language_set(*, acting_user, language: str) -> None:
    """Remember ``language`` as the interface language of ``acting_user`` (any device)."""
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise ValidationError(
            {"language": _("Choose one of: %(codes)s.") % {"codes": ", ".join(sorted(codes))}}
        )
    UserPreference.objects.update_or_create(user=acting_user, defaults={"language": language})
