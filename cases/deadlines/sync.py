"""A record's deadlines brought in line with it: created, recomputed, met or cancelled in the
same transaction as the write (called by the services)."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import translation

from cases.choices import DeadlineStatus
from cases.deadlines.arithmetic import Computation, compute_due
from cases.deadlines.schedule import first_alert_at
from cases.deadlines.triggers import is_trigger, trigger_models
from cases.models import Deadline, DeadlineRule
from casetracker.audit import Verb, changed, event_record, snapshot


def _value_at(record: models.Model, path: str) -> Any:
    value: Any = record
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def trigger_matches(rule: DeadlineRule, record: models.Model) -> bool:
    """Whether ``record`` meets the rule's condition (a list of values means any of them)."""
    for path, expected in rule.trigger_condition.items():
        allowed = expected if isinstance(expected, list) else [expected]
        if _value_at(record, path) not in allowed:
            return False
    return True


def _event(deadline: Deadline, verb: Verb, actor, before=None, after=None) -> None:
    event_record(
        verb=verb,
        actor=actor,
        subject=deadline,
        case=deadline.case,
        person=deadline.person,
        before=before,
        after=after,
    )


def _apply(deadline: Deadline, rule: DeadlineRule, computation: Computation) -> None:
    deadline.rule_version = rule.rule_version
    deadline.basis_date = computation.basis_date
    deadline.explanation = computation.explanation
    deadline.timezone = rule.timezone
    deadline.reminders = list(rule.reminders)
    if not deadline.override_reason:
        deadline.due_at = computation.due_at
    deadline.computed_due_at = computation.due_at


def _sync_one(rule: DeadlineRule, record: models.Model, deadline: Deadline | None, actor) -> None:
    basis = getattr(record, rule.trigger_field)
    fires = basis is not None and trigger_matches(rule, record)
    met_on = getattr(record, rule.met_field) if rule.met_field else None
    if not fires:
        if deadline is not None and deadline.status == DeadlineStatus.OPEN:
            if basis is not None and met_on:
                # The record left the condition by doing what the deadline awaited: a pending
                # asylum application decided (kz.asylum_decision) is no longer "pending".
                _complete(deadline, met_on, actor)
            else:
                deadline_set_status(deadline, DeadlineStatus.CANCELLED, actor=actor)
        return
    if deadline is None:
        deadline = Deadline(
            case=record.case,
            rule=rule,
            subject=record,
            person=getattr(record, "person", None),
            title=rule.title,
            responsible=record.case.lead,
        )
        _apply(deadline, rule, compute_due(rule, basis))
        if met_on and met_on <= deadline.due_date:
            deadline.status, deadline.met_on = DeadlineStatus.MET, met_on
        elif met_on:
            deadline.status = DeadlineStatus.MISSED
        deadline.next_alert_at = first_alert_at(deadline)
        deadline.full_clean()
        deadline.save(force_insert=True)
        _event(deadline, Verb.CREATED, actor, after=snapshot(deadline))
        return
    if basis != deadline.basis_date or deadline.status == DeadlineStatus.CANCELLED:
        before = snapshot(deadline)
        _apply(deadline, rule, compute_due(rule, basis))
        if deadline.status == DeadlineStatus.CANCELLED:
            deadline.status = DeadlineStatus.OPEN
        deadline.next_alert_at = first_alert_at(deadline)
        deadline.save()
        old, new = changed(before, snapshot(deadline))
        _event(deadline, Verb.RECOMPUTED, actor, before=old, after=new)
    if met_on and deadline.status == DeadlineStatus.OPEN:
        _complete(deadline, met_on, actor)


def _complete(deadline: Deadline, done_on: datetime.date, actor) -> None:
    """The record shows the awaited step done on ``done_on``: met if in time, else missed (a
    State's reply after its period, a detention that outlasted its legal limit)."""
    if done_on <= deadline.due_date:
        deadline_set_status(deadline, DeadlineStatus.MET, actor=actor, met_on=done_on)
    else:
        deadline_set_status(deadline, DeadlineStatus.MISSED, actor=actor)


def deadline_set_status(
    deadline: Deadline, status: str, *, actor, met_on: datetime.date | None = None
) -> Deadline:
    """Close (or reopen) a deadline: met, missed or cancelled. Its pending alerts stop."""
    before = snapshot(deadline, ["status", "met_on"])
    deadline.status, deadline.met_on = status, met_on if status == DeadlineStatus.MET else None
    deadline.next_alert_at = first_alert_at(deadline) if status == DeadlineStatus.OPEN else None
    deadline.full_clean()
    deadline.save(update_fields=["status", "met_on", "next_alert_at", "updated_at"])
    verb = {DeadlineStatus.MET: Verb.MET, DeadlineStatus.CANCELLED: Verb.CANCELLED}.get(
        status, Verb.UPDATED
    )
    _event(deadline, verb, actor, before=before, after=snapshot(deadline, ["status", "met_on"]))
    return deadline


def deadlines_sync(*, record: models.Model, actor) -> None:
    """Bring the deadlines that ``record`` triggers in line with it (call after each write).

    Titles and explanations are stored in the site's language whatever the writer's (a
    Russian-speaking caseworker's request must not leave Russian arithmetic for everyone); the
    pages show them in each reader's language (cases/templatetags/deadline_text.py).
    """
    if not is_trigger(type(record)):
        return
    with translation.override(settings.LANGUAGE_CODE):
        _sync_all(record, actor)


def _sync_all(record: models.Model, actor) -> None:
    rules = list(DeadlineRule.objects.filter(active=True, trigger_model=record._meta.label_lower))
    if not rules:
        return
    existing = {
        d.rule_id: d
        for d in Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(record),
            subject_id=record.pk,
            rule__in=rules,
        ).select_related("case")
    }
    for rule in rules:
        _sync_one(rule, record, existing.get(rule.pk), actor)


def _triggers_deleted_with(record: models.Model) -> models.Q:
    """The triggering records that deleting ``record`` deletes: itself and what cascades from
    it (a complaint's committee decisions, an extradition request's decisions)."""
    collector = Collector(using=record._state.db or DEFAULT_DB_ALIAS)
    try:
        collector.collect([record])
    except (ProtectedError, RestrictedError):
        # The delete itself will be refused and its transaction rolled back.
        return models.Q(pk__in=[])
    found: dict[type[models.Model], set] = {}
    for model, instances in collector.data.items():
        found.setdefault(model, set()).update(obj.pk for obj in instances)
    for queryset in collector.fast_deletes:
        if is_trigger(queryset.model):
            found.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
    condition = models.Q(pk__in=[])
    for model, pks in found.items():
        if is_trigger(model):
            content_type = ContentType.objects.get_for_model(model)
            condition |= models.Q(subject_type=content_type, subject_id__in=pks)
    return condition


def deadlines_cancel(*, record: models.Model, actor) -> None:
    """Cancel the open deadlines ``record`` triggered, and those of the records deleted with
    it (it is being deleted or withdrawn): no deadline may outlive its record."""
    open_deadlines = Deadline.objects.open().filter(_triggers_deleted_with(record))
    for deadline in open_deadlines.select_related("case"):
        deadline_set_status(deadline, DeadlineStatus.CANCELLED, actor=actor)


def deadlines_close_case(*, case, actor) -> None:
    """A closed case alerts no more: its open deadlines are cancelled."""
    for deadline in Deadline.objects.open().filter(case=case).select_related("case"):
        deadline_set_status(deadline, DeadlineStatus.CANCELLED, actor=actor)


def deadlines_reopen_case(*, case, actor) -> None:
    """A reopened case gets back the deadlines its records still trigger. Manual deadlines
    stay cancelled: reopen them one by one if they still apply."""
    for _label, model in sorted(trigger_models().items()):
        case_path = model._default_manager.get_queryset().case_path
        for record in model._default_manager.filter(**{case_path: case}):
            deadlines_sync(record=record, actor=actor)
