"""The audit trail: every service records one event per change, in the same transaction.

The event model lives in ``cases`` (``CaseEvent``), but people's services must record events
too and ``people`` may not import ``cases`` (dependencies point people ← cases ← rulings).
Like ``AUTH_USER_MODEL``, the model is named by a setting and resolved at call time.
"""

import datetime
import decimal
import enum
import uuid
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from casetracker import crypto


class Verb(enum.StrEnum):
    """What happened to the subject. An event's ``kind`` is ``<model name>.<verb>``, e.g.
    ``detention.ended`` or ``extraditionrequest.surrendered``."""

    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    CLOSED = "closed"
    REOPENED = "reopened"
    ENDED = "ended"
    SURRENDERED = "surrendered"
    LIFTED = "lifted"
    MET = "met"
    CANCELLED = "cancelled"
    OVERRIDDEN = "overridden"
    RECOMPUTED = "recomputed"
    ACKNOWLEDGED = "acknowledged"
    MFA_RESET = "mfa_reset"  # an admin removed a member's two-factor devices
    ANONYMISED = "anonymised"  # a person's identity removed from every record (issue #11)
    MERGED = "merged"  # two records of one person made one (issue #12)


# Timestamps change on every save and say nothing a reader of the timeline needs.
UNAUDITED_FIELDS = frozenset({"created_at", "updated_at", "search_text"})


def _json_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Field values of ``instance`` as JSON-safe data (foreign keys by id, many-to-many links as
    sorted lists of ids)."""
    wanted = set(fields) if fields is not None else None
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in UNAUDITED_FIELDS or (wanted is not None and field.name not in wanted):
            continue
        value = getattr(instance, field.attname)
        # get_prep_value gives the stored form: a foreign key's id, a file's name, a country
        # list's "UZ,RU". An encrypted field's plaintext (its stored form differs on every
        # save): the event seals it (sealed_changes).
        if not getattr(field, "encrypted", False):
            value = field.get_prep_value(value)
        data[field.name] = _json_value(value)
    if not instance._state.adding:
        # Plain many-to-many links (a complaint's complainants, a note's documents) belong to
        # the record; links with a model of their own (a case's parties) have their own events.
        for field in instance._meta.many_to_many:
            if not field.remote_field.through._meta.auto_created or (
                wanted is not None and field.name not in wanted
            ):
                continue
            ids = getattr(instance, field.name).values_list("pk", flat=True)
            data[field.name] = sorted(_json_value(pk) for pk in ids)
    return data


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """The parts of two snapshots that differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def sealed_changes(model, values: dict[str, Any] | None) -> dict[str, Any] | None:
    """``values`` of a snapshot with those of ``model``'s encrypted fields sealed, as a
    timeline event stores them: a dump of the timeline reveals no more than one of the
    records."""
    if values is None:
        return None
    sealed = set(crypto.encrypted_fields(model))
    return {
        k: crypto.seal(v) if k in sealed and isinstance(v, str) else v for k, v in values.items()
    }


def unsealed_changes(data: dict[str, Any]) -> dict[str, Any]:
    """A stored event's ``{"before": {...}, "after": {...}}`` with sealed values opened."""
    return {
        side: (
            {k: crypto.unseal(v) for k, v in values.items()} if isinstance(values, dict) else values
        )
        for side, values in data.items()
    }


def event_kind(subject: models.Model | type[models.Model], verb: Verb) -> str:
    return f"{subject._meta.model_name}.{verb}"


def event_record(
    *,
    verb: Verb,
    actor: Any,
    subject: models.Model,
    organisation: Any = None,
    case: Any = None,
    person: Any = None,
    before: dict | None = None,
    after: dict | None = None,
) -> models.Model:
    """Append one event to the audit timeline; call it inside the service's transaction."""
    event_model = apps.get_model(settings.CASETRACKER_EVENT_MODEL)
    return event_model.objects.record(
        kind=event_kind(subject, verb),
        actor=actor,
        subject=subject,
        organisation=organisation,
        case=case,
        person=person,
        before=before,
        after=after,
    )
