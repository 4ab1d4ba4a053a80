"""The shared shape of writes to a case's records: check the user's right on the case,
validate, save, and record the event with before/after, all in the caller's transaction.

Used by the named services of ``cases`` and ``rulings``; never called by views directly.
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from cases.access import CaseAction, case_require
from cases.deadlines.sync import deadlines_cancel, deadlines_sync
from cases.models import Case
from casetracker.audit import Verb, changed, event_record, snapshot
from casetracker.services import model_create, model_update

R = TypeVar("R", bound=models.Model)


def _person_of(record: models.Model) -> Any:
    """The person a record is about, for the person's own timeline (None for a group record)."""
    if hasattr(record, "person"):
        return record.person
    request = getattr(record, "request", None)
    return request.person if request is not None else None


def record_create(
    *,
    acting_user,
    case: Case,
    action: CaseAction,
    model: type[R],
    data: dict[str, Any],
    allowed: tuple[str, ...],
    many: dict[str, Iterable[Any]] | None = None,
    then: Callable[[R], object] | None = None,
    **relations: Any,
) -> R:
    """Create a record of ``case``; ``case`` is set on the record too when it has the field.

    ``many`` gives the record's many-to-many links (already validated by the caller), set
    before the event is written so that the timeline shows them.
    """
    case_require(user=acting_user, case=case, action=action)
    if any(field.name == "case" for field in model._meta.concrete_fields):
        relations["case"] = case
    record = model_create(model=model, data=data, allowed=allowed, **relations)
    for name, values in (many or {}).items():
        getattr(record, name).set(values)
    event_record(
        verb=Verb.CREATED,
        actor=acting_user,
        subject=record,
        case=case,
        person=_person_of(record),
        after=snapshot(record),
    )
    _after_write(record, Verb.CREATED, acting_user, then)
    return record


def _after_write(
    record: models.Model, verb: Verb, actor, then: Callable[[Any], object] | None = None
) -> None:
    """What follows every write of a case record, in the same transaction: its deadlines are
    brought in line (DESIGN §6), and the caller's ``then`` runs (the safety checks a service
    names at its call site: an interim-measure breach, a person at high risk)."""
    if verb == Verb.DELETED:
        deadlines_cancel(record=record, actor=actor)
        return
    deadlines_sync(record=record, actor=actor)
    if then is not None:
        then(record)


def record_update(
    *,
    acting_user,
    record: R,
    action: CaseAction,
    data: dict[str, Any],
    allowed: tuple[str, ...],
    verb: Verb = Verb.UPDATED,
    many: dict[str, Iterable[Any]] | None = None,
    then: Callable[[R], object] | None = None,
) -> R:
    """Change a record of a case; ``many`` replaces many-to-many links, as in record_create."""
    case = record.case
    case_require(user=acting_user, case=case, action=action)
    many = many or {}
    links_before = snapshot(record, fields=many)
    before, after = model_update(instance=record, data=data, allowed=allowed)
    for name, values in many.items():
        getattr(record, name).set(values)
    links_old, links_new = changed(links_before, snapshot(record, fields=many))
    before, after = {**before, **links_old}, {**after, **links_new}
    if after:
        event_record(
            verb=verb,
            actor=acting_user,
            subject=record,
            case=case,
            person=_person_of(record),
            before=before,
            after=after,
        )
        _after_write(record, verb, acting_user, then)
    return record


@transaction.atomic
def record_delete(*, acting_user, record: models.Model) -> None:
    """Delete a record of a case (a mistaken entry); the timeline keeps what it held."""
    case = record.case
    case_require(user=acting_user, case=case, action=CaseAction.DELETE)
    event_record(
        verb=Verb.DELETED,
        actor=acting_user,
        subject=record,
        case=case,
        person=_person_of(record),
        before=snapshot(record),
    )
    _after_write(record, Verb.DELETED, acting_user)
    try:
        with transaction.atomic():
            record.delete()
    except ProtectedError as exc:
        blocking = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        raise ValidationError(
            _("This record cannot be deleted while other records refer to it: %(records)s.")
            % {"records": ", ".join(blocking)}
        ) from exc
