"""Forgetting a person (issue #11 item 2): ``person_anonymise`` lives at the top because a
person's traces are in every app's records: their own (people), their cases' notes, documents,
deadlines and alerts (cases), the decisions and complaints about them (rulings), the timeline
and the access log.
"""

import re
import urllib.parse
from typing import Any

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import CaseStatus
from cases.models import Case, CaseEvent, CaseParty, Document
from casetracker import crypto
from casetracker.audit import Verb, event_record
from casetracker.models import AccessLogEntry
from organisations.access import organisation_role
from organisations.choices import Role
from people.models import Person, PersonName, Relationship
from people.search import person_search_text_refresh

PLACEHOLDER = "[anonymised]"
# What of the person goes: names, spellings, contacts, birth data and free text. What stays
# (sex, citizenships, languages, every date and outcome of their proceedings) keeps the
# organisation's statistics true.
PERSON_CLEARED = {
    "given_name": "",
    "patronymic": "",
    "name_native": "",
    "birth_date": None,
    "birth_place": "",
    "phone": "",
    "address": "",
    "notes": "",
}
RELATIONSHIP_CLEARED = {"relative_name": PLACEHOLDER, "phone": "", "email": "", "address": ""}
# Words shorter than this are not searched for in other text ("Ли" would eat every "Лиза").
TERM_MIN = 3


def _terms(person: Person) -> list[str]:
    """Every way the person's identity is written: each spelling whole and word by word, their
    contact details, their relatives' names; longest first, so a whole name goes before its
    parts."""
    names = [
        person.family_name,
        person.given_name,
        person.patronymic,
        person.name_native,
        *person.names.values_list("name", flat=True),
    ]
    relatives = person.relationships.all()
    whole = [
        *names,
        f"{person.given_name} {person.family_name}",
        f"{person.family_name} {person.given_name}",
        person.phone,
        person.address,
        *(r.relative_name for r in relatives),
        *(r.phone for r in relatives),
        *(r.email for r in relatives),
    ]
    words = [word for name in names for word in re.split(r"[\s,]+", name or "")]
    terms = {t.strip() for t in [*whole, *words] if t and len(t.strip()) >= TERM_MIN}
    return sorted(terms, key=len, reverse=True)


def _redactor(terms: list[str]):
    if not terms:
        return lambda text: text
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)", re.IGNORECASE
    )
    return lambda text: pattern.sub(PLACEHOLDER, text) if isinstance(text, str) else text


def _redacted_json(value: Any, redact) -> Any:
    """``value`` (stored JSON) with every string redacted; sealed strings opened, redacted and
    sealed again."""
    if isinstance(value, dict):
        return {k: _redacted_json(v, redact) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted_json(v, redact) for v in value]
    if crypto.is_sealed(value):
        opened = crypto.unseal(value)
        redacted = redact(opened)
        return value if redacted == opened else crypto.seal(redacted)
    return redact(value)


def _text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not f.choices
        and f.name not in ("search_text", "id")
    ]


def _redact_rows(queryset, redact) -> int:
    """Redact every text of the rows, one UPDATE per changed row (no event: the anonymisation
    is one event of its own)."""
    model = queryset.model
    fields = _text_fields(model)
    changed = 0
    for row in queryset.only("pk", *(f.name for f in fields)).iterator(chunk_size=500):
        updates = {}
        for field in fields:
            value = getattr(row, field.attname)
            new = (
                _redacted_json(value, redact)
                if isinstance(field, models.JSONField)
                else redact(value)
            )
            if new != value:
                updates[field.attname] = new
        if updates:
            model._base_manager.filter(pk=row.pk).update(**updates)
            changed += 1
    return changed


def _case_records() -> list[tuple[type[models.Model], str]]:
    """Every model with a foreign key to a case or a person (and the path to it), from every
    app: what a case's and a person's files are made of."""
    found = []
    for model in apps.get_models():
        if model in (CaseEvent, AccessLogEntry, PersonName, LogEntry):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.many_to_one and field.related_model is Case:
                found.append((model, f"{field.name}__in"))
            elif field.is_relation and field.many_to_one and field.related_model is Person:
                found.append((model, f"{field.name}"))
    return found


def _query_redacted(query: str, redact) -> str:
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    return urllib.parse.urlencode([(k, redact(v)) for k, v in pairs])


@transaction.atomic
def person_anonymise(*, acting_user, person: Person, reason: str) -> CaseEvent:
    """Forget a person: their names, spellings, contact details, birth data and free text are
    replaced with a placeholder in every record that holds them (their own, their cases', the
    timeline's stored values and the access log's queries), the files of the documents on cases
    that are theirs alone are deleted, and one timeline event says who did it and why. The
    legal facts stay: dates, outcomes, deadlines. Refused while they are party to an open case.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if organisation_role(user=acting_user, organisation=person.organisation) != Role.ADMIN:
        raise PermissionDenied(_("Only an admin of the person's organisation may anonymise them."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this person is anonymised.")})
    if person.anonymised_at is not None:
        raise ValidationError(_("This person was anonymised already."))
    open_cases = list(
        CaseParty.objects.filter(person=person, case__status=CaseStatus.OPEN)
        .values_list("case__reference", flat=True)
        .order_by("case__reference")
    )
    if open_cases:
        raise ValidationError(
            _("%(person)s is party to an open case (%(cases)s): close it first.")
            % {"person": person, "cases": ", ".join(open_cases)}
        )

    # The records merged into this one (issue #12) are the same person: forgotten with it.
    records = [person, *Person.objects.filter(merged_into=person)]
    ids_of_records = [record.pk for record in records]
    terms = sorted({t for record in records for t in _terms(record)}, key=len, reverse=True)
    redact = _redactor(terms)
    counts: dict[str, int] = {}
    case_ids = list(
        CaseParty.objects.filter(person__in=ids_of_records).values_list("case_id", flat=True)
    )
    sole_cases = [
        case_id
        for case_id in case_ids
        if not CaseParty.objects.filter(case_id=case_id).exclude(person__in=ids_of_records).exists()
    ]

    # Files of the documents on the cases that are theirs alone: deleted once committed.
    documents = Document.objects.filter(case_id__in=sole_cases).exclude(file="")
    files = [(d.file.storage, d.file.name) for d in documents]
    counts["documents deleted"] = documents.update(
        file="", filename=PLACEHOLDER, title=PLACEHOLDER, sha256="", size=0
    )
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))

    # Their relatives' details and their other spellings.
    counts["relationships"] = Relationship.objects.filter(person__in=ids_of_records).update(
        **RELATIONSHIP_CLEARED, notes=""
    )
    counts["spellings"] = PersonName.objects.filter(person__in=ids_of_records).delete()[0]

    # Every text of every record of their cases and of them, and the admin's own log of them.
    counts["cases"] = _redact_rows(Case.objects.filter(pk__in=case_ids), redact)
    ids = [*(str(pk) for pk in ids_of_records), *(str(pk) for pk in case_ids)]
    counts["admin log"] = _redact_rows(LogEntry.objects.filter(object_id__in=ids), redact)
    for model, path in _case_records():
        lookup = {path: case_ids} if path.endswith("__in") else {f"{path}__in": ids_of_records}
        changed = _redact_rows(model._base_manager.filter(**lookup), redact)
        if changed:
            counts[model._meta.label] = counts.get(model._meta.label, 0) + changed

    # The timeline's stored values and record names, through its one permitted rewrite.
    events = CaseEvent.objects.filter(
        models.Q(person__in=ids_of_records)
        | models.Q(case_id__in=case_ids)
        | models.Q(subject_id__in=ids_of_records)
    )
    rewritten = 0
    for event in events.iterator(chunk_size=500):
        own = event.subject_id in ids_of_records or event.kind.startswith(
            ("personname.", "relationship.")
        )
        data = (
            _own_values_cleared(event.data)
            if own and event.person_id in ids_of_records
            else event.data
        )
        data = _redacted_json(data, redact)
        subject_repr = redact(event.subject_repr)
        if data != event.data or subject_repr != event.subject_repr:
            CaseEvent.objects.rewrite(event, data=data, subject_repr=subject_repr)
            rewritten += 1
    counts["timeline events"] = rewritten

    # Searches for them in the access log: every query string, decoded, since a search is
    # stored URL-encoded (in any case of any script).
    logged = 0
    entries = AccessLogEntry.objects.exclude(query="").only("pk", "query")
    for entry in entries.iterator(chunk_size=2000):
        query = _query_redacted(entry.query, redact)
        if _query_redacted(entry.query, lambda text: text) != query:
            AccessLogEntry.objects.rewrite(entry, query=query)
            logged += 1
    counts["access log queries"] = logged

    # Last, the person themselves (and the records merged into them).
    for record in records:
        for name, value in PERSON_CLEARED.items():
            setattr(record, name, value)
        record.family_name = PLACEHOLDER
        record.anonymised_at = timezone.now()
        record.save(update_fields=[*PERSON_CLEARED, "family_name", "anonymised_at", "updated_at"])
        person_search_text_refresh(record)
    return event_record(
        verb=Verb.ANONYMISED,
        actor=acting_user,
        subject=person,
        person=person,
        after={"reason": reason, "records": counts},
    )


def _own_values_cleared(data: dict) -> dict:
    """An event of the person's own records: every value they held goes, the facts the
    statistics keep (sex, citizenships, languages) stay."""
    kept = {"sex", "citizenships", "languages", "organisation", "kind", "script", "relative"}
    return {
        side: (
            {k: (v if k in kept or v in ("", None) else PLACEHOLDER) for k, v in values.items()}
            if isinstance(values, dict)
            else values
        )
        for side, values in data.items()
    }
