"""Every write to people's records. Keyword-only, with the acting user, one transaction each,
validated, and recorded on the timeline (casetracker/audit.py) in the same transaction."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casetracker.audit import Verb, event_record, snapshot
from casetracker.services import model_create, model_update
from people.access import person_require_edit
from people.models import NotDuplicate, Person, PersonName, Relationship
from people.search import person_search_text_refresh

PERSON_FIELDS = (
    "family_name",
    "given_name",
    "patronymic",
    "name_native",
    "sex",
    "birth_date",
    "birth_date_precision",
    "birth_place",
    "citizenships",
    "languages",
    "phone",
    "address",
    "notes",
)
RELATIONSHIP_FIELDS = ("relative", "relative_name", "kind", "phone", "email", "address", "notes")


@transaction.atomic
def person_create(*, acting_user, organisation, family_name: str, **fields: Any) -> Person:
    person_require_edit(user=acting_user, organisation=organisation)
    person = model_create(
        model=Person,
        data={"family_name": family_name, **fields},
        allowed=PERSON_FIELDS,
        organisation=organisation,
    )
    person_search_text_refresh(person)
    event_record(
        verb=Verb.CREATED,
        actor=acting_user,
        subject=person,
        person=person,
        after=snapshot(person),
    )
    return person


@transaction.atomic
def person_update(*, acting_user, person: Person, **changes: Any) -> Person:
    person_require_edit(user=acting_user, organisation=person.organisation)
    before, after = model_update(instance=person, data=changes, allowed=PERSON_FIELDS)
    if after:
        person_search_text_refresh(person)
        event_record(
            verb=Verb.UPDATED,
            actor=acting_user,
            subject=person,
            person=person,
            before=before,
            after=after,
        )
    return person


@transaction.atomic
def person_name_add(
    *, acting_user, person: Person, name: str, kind: str = "transliteration", script: str = ""
) -> PersonName:
    person_require_edit(user=acting_user, organisation=person.organisation)
    person_name = model_create(
        model=PersonName,
        data={"name": name, "kind": kind, "script": script},
        allowed=("name", "kind", "script"),
        person=person,
    )
    person_search_text_refresh(person)
    event_record(
        verb=Verb.CREATED,
        actor=acting_user,
        subject=person_name,
        person=person,
        after=snapshot(person_name),
    )
    return person_name


@transaction.atomic
def person_name_remove(*, acting_user, person_name: PersonName) -> None:
    person = person_name.person
    person_require_edit(user=acting_user, organisation=person.organisation)
    before = snapshot(person_name)
    event_record(
        verb=Verb.DELETED,
        actor=acting_user,
        subject=person_name,
        person=person,
        before=before,
    )
    person_name.delete()
    person_search_text_refresh(person)


@transaction.atomic
def relationship_create(*, acting_user, person: Person, kind: str, **fields: Any) -> Relationship:
    person_require_edit(user=acting_user, organisation=person.organisation)
    relationship = model_create(
        model=Relationship,
        data={"kind": kind, **fields},
        allowed=RELATIONSHIP_FIELDS,
        person=person,
    )
    event_record(
        verb=Verb.CREATED,
        actor=acting_user,
        subject=relationship,
        person=person,
        after=snapshot(relationship),
    )
    return relationship


@transaction.atomic
def relationship_update(*, acting_user, relationship: Relationship, **changes: Any) -> Relationship:
    person = relationship.person
    person_require_edit(user=acting_user, organisation=person.organisation)
    before, after = model_update(instance=relationship, data=changes, allowed=RELATIONSHIP_FIELDS)
    if after:
        event_record(
            verb=Verb.UPDATED,
            actor=acting_user,
            subject=relationship,
            person=person,
            before=before,
            after=after,
        )
    return relationship


@transaction.atomic
def relationship_remove(*, acting_user, relationship: Relationship) -> None:
    person = relationship.person
    person_require_edit(user=acting_user, organisation=person.organisation)
    event_record(
        verb=Verb.DELETED,
        actor=acting_user,
        subject=relationship,
        person=person,
        before=snapshot(relationship),
    )
    relationship.delete()


@transaction.atomic
def person_not_duplicate(
    *, acting_user, person: Person, other: Person, reason: str = ""
) -> NotDuplicate:
    """Mark two people of one organisation as different people (issue #12): the pair is never
    proposed as duplicates again. One row per pair, whichever way round it is marked; marking
    a marked pair again returns the mark and writes nothing."""
    for someone in (person, other):
        person_require_edit(user=acting_user, organisation=someone.organisation_id)
    if person.pk == other.pk:
        raise ValidationError(_("A person cannot be marked as not a duplicate of themselves."))
    if person.organisation_id != other.organisation_id:
        raise ValidationError(_("Only people of the same organisation can be compared."))
    if person.merged_into_id or other.merged_into_id:
        raise ValidationError(_("A merged record is compared through the record it became."))
    first, second = NotDuplicate.ordered(person, other)
    existing = NotDuplicate.objects.filter(person=first, other=second).first()
    if existing is not None:
        return existing
    mark = model_create(
        model=NotDuplicate,
        data={"reason": (reason or "").strip()},
        allowed=("reason",),
        organisation_id=person.organisation_id,
        person=first,
        other=second,
        marked_by=acting_user,
    )
    event_record(
        verb=Verb.CREATED,
        actor=acting_user,
        subject=mark,
        person=person,
        after=snapshot(mark),
    )
    return mark
