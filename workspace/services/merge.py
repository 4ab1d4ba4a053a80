"""Merging two records of one person (issue #12 item 2): ``person_merge`` moves every link to
a person, found by introspection over every app, in one transaction.
"""

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import PartyRole
from cases.models import Case, CaseEvent, CaseParty, Detention, ExtraditionRequest
from casetracker.audit import Verb, event_record, sealed_changes, snapshot
from casetracker.services import model_create, model_update
from people.access import person_require_edit
from people.choices import NameKind, Sex
from people.models import NotDuplicate, Person, PersonName, Relationship
from people.search import as_written, person_search_text_refresh
from people.services import PERSON_FIELDS
from rulings.alerts import person_endangered

KEEP, MERGE = "keep", "merge"
# A field blank on one side takes the other's value without asking. The unknown sex (the
# default) counts as blank, and so does a precision without its date of birth.
_BLANK_VALUES = ("", None, [])
# Parts in a case, strongest first: where both records were parties to one case, the kept party
# takes the stronger role (a principal recorded a second time as a witness is a principal).
_ROLE_ORDER = [role for role, _label in PartyRole.choices]


def _blank(values: dict[str, Any], field: str) -> bool:
    if field == "sex":
        return values[field] == Sex.UNKNOWN
    if field == "birth_date_precision":
        return values["birth_date"] is None
    return values[field] in _BLANK_VALUES


def merge_conflicts(keep: Person, merge: Person) -> list[str]:
    """The fields the two records hold differently with neither side blank: each needs a choice
    in the merge form (a precision of the date of birth follows the date's)."""
    ours, theirs = snapshot(keep, PERSON_FIELDS), snapshot(merge, PERSON_FIELDS)
    return [
        field
        for field in PERSON_FIELDS
        if ours[field] != theirs[field]
        and not _blank(ours, field)
        and not _blank(theirs, field)
        and not (field == "birth_date_precision" and ours["birth_date"] != theirs["birth_date"])
    ]


def _resolved_fields(keep: Person, merge: Person, choices: dict[str, str]) -> dict[str, str]:
    """For every field the two records hold differently, which side's value the kept record
    keeps: the caller's choice, else the side that is not blank. A precision of the date of
    birth nobody chose follows the date's choice. A conflict without a choice is an error
    naming the field."""
    wrong = {
        name: _("Choose “keep” or “merge”.")
        if name in PERSON_FIELDS
        else _("This field cannot be merged.")
        for name, side in choices.items()
        if name not in PERSON_FIELDS or side not in (KEEP, MERGE)
    }
    if wrong:
        raise ValidationError(wrong)
    ours, theirs = snapshot(keep, PERSON_FIELDS), snapshot(merge, PERSON_FIELDS)
    resolved: dict[str, str] = {}
    conflicts = {}
    for field in PERSON_FIELDS:
        if ours[field] == theirs[field]:
            continue
        if field in choices:
            resolved[field] = choices[field]
        elif _blank(theirs, field):
            resolved[field] = KEEP
        elif _blank(ours, field):
            resolved[field] = MERGE
        elif field == "birth_date_precision" and "birth_date" in resolved:
            resolved[field] = resolved["birth_date"]
        else:
            conflicts[field] = _(
                "The two records differ here: choose which value the kept record keeps."
            )
    if conflicts:
        raise ValidationError(conflicts)
    return resolved


def _person_links() -> list[models.ForeignKey]:
    """Every foreign key to Person in every app, the tables of plain many-to-many links (a
    complaint's complainants) included: found by introspection, so that a model added later
    is merged too (tests/workspace/test_merge.py builds a row of each)."""
    return [
        field
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model is Person
    ]


def _unique_partners(field: models.ForeignKey) -> list[list[str]]:
    """The other columns of each unconditional unique constraint ``field`` is part of."""
    meta = field.model._meta
    sets = [list(names) for names in meta.unique_together]
    sets += [
        list(c.fields)
        for c in meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None
    ]
    return [
        [meta.get_field(name).attname for name in names if name != field.name]
        for names in sets
        if field.name in names
    ]


class _Moves:
    """What one merge moved and dropped, by model label, and the cases each row belongs to."""

    def __init__(self) -> None:
        self.moved: dict[str, list[str]] = {}
        self.dropped: dict[str, list[dict]] = {}
        self.cases: dict[Any, dict[str, dict[str, list]]] = {}

    def _case(self, row: models.Model) -> dict[str, dict[str, list]] | None:
        case_id = getattr(row, "case_id", None)
        return None if case_id is None else self.cases.setdefault(case_id, {})

    def moved_row(self, row: models.Model) -> None:
        label = row._meta.label
        self.moved.setdefault(label, []).append(str(row.pk))
        if (case := self._case(row)) is not None:
            case.setdefault("moved", {}).setdefault(label, []).append(str(row.pk))

    def drop(self, row: models.Model) -> None:
        """Delete ``row`` (the kept record holds its like already, or it would make the person
        their own relative), keeping its values in the events, encrypted ones sealed."""
        label, model = row._meta.label, type(row)
        values = sealed_changes(model, snapshot(row))
        self.dropped.setdefault(label, []).append(values)
        if (case := self._case(row)) is not None:
            case.setdefault("dropped", {}).setdefault(label, []).append(values)
        model._base_manager.filter(pk=row.pk).delete()


def _touched(model: type[models.Model]) -> dict[str, Any]:
    return {"updated_at": timezone.now()} if hasattr(model, "updated_at") else {}


def _move(field: models.ForeignKey, keep: Person, merge: Person, moves: _Moves) -> None:
    """Point ``field`` of the merged record's rows at the kept record; a row that would repeat
    one of the kept record's (a unique constraint: the same case, complaint or spelling) is
    dropped, the kept row staying (a case party taking the stronger of the two roles)."""
    model = field.model
    partners = _unique_partners(field)
    for row in model._base_manager.filter(**{field.name: merge}).order_by("pk"):
        twins = [
            model._base_manager.filter(
                **{field.name: keep}, **{name: getattr(row, name) for name in names}
            ).first()
            for names in partners
        ]
        twin = next((t for t in twins if t is not None), None)
        if twin is None:
            moves.moved_row(row)
            continue
        if isinstance(row, CaseParty) and _ROLE_ORDER.index(row.role) < _ROLE_ORDER.index(
            twin.role
        ):
            CaseParty.objects.filter(pk=twin.pk).update(role=row.role, **_touched(CaseParty))
        moves.drop(row)
    model._base_manager.filter(**{field.name: merge}).update(
        **{field.name: keep}, **_touched(model)
    )


def _move_not_duplicates(keep: Person, merge: Person, moves: _Moves) -> None:
    """A pair marked "not a duplicate" with the merged record now holds the kept one, in the
    stored order; a mark between the two merged records themselves, or one the kept record
    already has, goes."""
    for mark in NotDuplicate.objects.filter(models.Q(person=merge) | models.Q(other=merge)):
        partner = mark.other if mark.person_id == merge.pk else mark.person
        first, second = NotDuplicate.ordered(keep, partner) if partner != keep else (None, None)
        if first is None or NotDuplicate.objects.filter(person=first, other=second).exists():
            moves.drop(mark)
            continue
        NotDuplicate.objects.filter(pk=mark.pk).update(
            person=first, other=second, **_touched(NotDuplicate)
        )
        moves.moved_row(mark)


def _own_relative_drop(keep: Person, merge: Person, moves: _Moves) -> None:
    """A relationship between the two records would make the person their own relative: the
    two records were one person, so it goes (its values stay in the event, sealed)."""
    links = Relationship.objects.filter(
        models.Q(person=keep, relative=merge) | models.Q(person=merge, relative=keep)
    )
    for relationship in links.order_by("pk"):
        moves.drop(relationship)


def _detentions_check(keep: Person, merge: Person) -> None:
    """Two detentions of one person never overlap (DESIGN §5): the records must agree first."""
    for detention in Detention.objects.filter(person=merge).order_by("started_on"):
        clash = Detention.objects.overlapping(
            person=keep, started_on=detention.started_on, ended_on=detention.ended_on
        ).first()
        if clash is not None:
            raise ValidationError(
                _(
                    "The detention of %(merge)s from %(start)s overlaps that of %(keep)s from "
                    "%(clash)s, and one person's detentions cannot overlap: correct or delete "
                    "one of them, then merge."
                )
                % {
                    "merge": merge,
                    "keep": keep,
                    "start": detention.started_on.isoformat(),
                    "clash": clash.started_on.isoformat(),
                }
            )


def _spellings_keep(keep: Person, names: list[str]) -> list[str]:
    """Each of ``names`` the kept record does not yet hold becomes one of its spellings."""
    held = {
        as_written(name)
        for name in [keep.full_name, keep.name_native, *keep.names.values_list("name", flat=True)]
    }
    added = []
    for name in names:
        name = " ".join(name.split())[: PersonName._meta.get_field("name").max_length]
        if name and as_written(name) not in held:
            model_create(
                model=PersonName,
                data={"name": name, "kind": NameKind.ALIAS},
                allowed=("name", "kind"),
                person=keep,
            )
            held.add(as_written(name))
            added.append(name)
    return added


# Moved by their own steps, or not at all: the timeline is append-only, so the merged record's
# past events stay its own (CaseEvent.objects.visible_to still shows them); the kept record's
# merge event names the merged one.
_NOT_MOVED_GENERICALLY = {
    (CaseEvent, "person"),
    (NotDuplicate, "person"),
    (NotDuplicate, "other"),
}


@transaction.atomic
def person_merge(
    *,
    acting_user,
    keep: Person,
    merge: Person,
    reason: str,
    choices: dict[str, str] | None = None,
) -> Person:
    """Make two records of one person one: every link of ``merge`` (case parties, detentions,
    requests, decisions, complaints, relationships, spellings, deadlines, alerts, earlier
    merges) moves to ``keep``, every spelling of both is kept, each field the two hold
    differently takes the side ``choices`` names ("keep" or "merge"; a blank side takes the
    other's value), and ``merge`` is marked merged into ``keep``. One event on each affected
    case, one on each record. All or nothing.
    """
    choices = dict(choices or {})
    for person in (keep, merge):
        person_require_edit(user=acting_user, organisation=person.organisation_id)
    if keep.pk == merge.pk:
        raise ValidationError(_("A record cannot be merged with itself: choose two records."))
    locked = {
        p.pk: p
        for p in Person.objects.select_for_update()
        .filter(pk__in=[keep.pk, merge.pk])
        .order_by("pk")
    }
    keep, merge = locked[keep.pk], locked[merge.pk]
    if keep.organisation_id != merge.organisation_id:
        raise ValidationError(_("Only records of the same organisation can be merged."))
    for person in (keep, merge):
        if person.merged_into_id is not None:
            raise ValidationError(
                _("%(person)s was merged into another record already.") % {"person": person}
            )
        if person.anonymised_at is not None:
            raise ValidationError(
                _("%(person)s was anonymised: an anonymised record cannot be merged.")
                % {"person": person}
            )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these two records are one person.")})
    resolved = _resolved_fields(keep, merge, choices)
    _detentions_check(keep, merge)

    names = [keep.full_name, keep.name_native, merge.full_name, merge.name_native]
    before = snapshot(keep, resolved)
    merged_values = snapshot(merge, resolved)
    moves = _Moves()
    _own_relative_drop(keep, merge, moves)
    for field in _person_links():
        if (field.model, field.name) not in _NOT_MOVED_GENERICALLY:
            _move(field, keep, merge, moves)
    _move_not_duplicates(keep, merge, moves)
    model_update(
        instance=keep,
        data={field: getattr(merge, field) for field, side in resolved.items() if side == MERGE},
        allowed=PERSON_FIELDS,
    )
    spellings = _spellings_keep(keep, names)
    person_search_text_refresh(keep)
    merge.merged_into, merge.merged_at = keep, timezone.now()
    merge.save(update_fields=["merged_into", "merged_at", "updated_at"])
    # The deadline engine keys on the triggering records (a detention, a decision), never on
    # the person: their dates did not change, so no deadline needs recomputing; their copies
    # of the person (Deadline.person) moved above.

    about = {"merged": str(merge.pk), "into": str(keep.pk), "reason": reason}
    for case in Case.objects.filter(pk__in=moves.cases).order_by("reference"):
        event_record(
            verb=Verb.MERGED,
            actor=acting_user,
            subject=keep,
            case=case,
            person=keep,
            after={**about, "records": moves.cases[case.pk]},
        )
    event_record(
        verb=Verb.MERGED,
        actor=acting_user,
        subject=keep,
        person=keep,
        before=before,
        after={
            **snapshot(keep, resolved),
            **about,
            "merged_name": merge.full_name,
            "choices": resolved,
            "records": {"moved": moves.moved, "dropped": moves.dropped},
            "spellings_added": spellings,
        },
    )
    event_record(
        verb=Verb.MERGED,
        actor=acting_user,
        subject=merge,
        person=merge,
        before=merged_values,
        after={**about, "choices": resolved},
    )
    # A merge can put a removal and an interim measure, or a UNHCR recognition and a pending
    # request, on one person for the first time: the safety checks run as after any write of
    # these records (issue #9 item 5: named here, not implied).
    for record in [
        *Detention.objects.filter(person=keep).select_related("case", "person"),
        *ExtraditionRequest.objects.filter(person=keep).select_related("case", "person"),
    ]:
        person_endangered(record)
    return keep
