"""The access matrix (DESIGN §4): who sees which case, every record reached through a case,
which people, which organisations, and what each may do with a case.

Each matrix is a table in code: one row per user, one column per case (or person); a missing
cell is a missing key and fails loudly.
"""

import uuid
from collections import defaultdict

import pytest
from django.http import Http404

from cases.access import CaseAction, case_can, case_get
from cases.models import (
    Case,
    CaseAccess,
    CaseEvent,
    CaseParty,
    Detention,
    Document,
    ExtraditionDecision,
    ExtraditionRequest,
    Note,
)
from casetracker.audit import Verb, event_record
from organisations.models import Membership, Organisation
from people.models import Person, PersonName, Relationship
from rulings.models import CommitteeDecision, Complaint, InterimMeasure, RefugeeStatusDecision
from tests import factories as f

Y, N = True, False

# The cases of ``world``: ``restricted`` is org's restricted case, ``unshared`` an ordinary case
# of org that is not shared with the lawyer, ``other_case`` belongs to the other organisation.
CASES = ("case", "restricted", "unshared", "other_case")

CASES_SEEN = {
    #                       case restricted unshared other_case
    "anonymous":            (N,  N,         N,       N),
    "stranger":             (N,  N,         N,       N),
    "inactive":             (N,  N,         N,       N),
    "superuser":            (N,  N,         N,       N),
    "other_caseworker":     (N,  N,         N,       Y),
    "other_admin":          (N,  N,         N,       Y),
    "viewer":               (Y,  N,         Y,       N),
    "caseworker":           (Y,  N,         Y,       N),
    "admin":                (Y,  Y,         Y,       N),
    "lawyer":               (Y,  N,         N,       N),
    "restricted_member":    (Y,  Y,         Y,       N),
}  # fmt: skip
USERS = list(CASES_SEEN)

# What each user may do on a case: V(iew) F(ile) E(dit) D(elete) S(hare) R(estrict).
CAN = {
    #                       case      restricted unshared
    "anonymous":            ("------", "------", "------"),
    "stranger":             ("------", "------", "------"),
    "inactive":             ("------", "------", "------"),
    "superuser":            ("------", "------", "------"),
    "other_caseworker":     ("------", "------", "------"),
    "other_admin":          ("------", "------", "------"),
    "viewer":               ("V-----", "------", "V-----"),
    "caseworker":           ("VFEDS-", "------", "VFEDS-"),
    "admin":                ("VFEDSR", "VFEDSR", "VFEDSR"),
    "lawyer":               ("VF----", "------", "------"),
    "restricted_member":    ("V-----", "VFEDS-", "V-----"),
}  # fmt: skip
ACTION_LETTERS = {
    "V": CaseAction.VIEW,
    "F": CaseAction.FILE,
    "E": CaseAction.EDIT,
    "D": CaseAction.DELETE,
    "S": CaseAction.SHARE,
    "R": CaseAction.RESTRICT,
}

CASE_MODELS = [
    Case,
    CaseParty,
    CaseAccess,
    Detention,
    ExtraditionRequest,
    ExtraditionDecision,
    Note,
    Document,
    RefugeeStatusDecision,
    Complaint,
    InterimMeasure,
    CommitteeDecision,
    CaseEvent,
]


def _seen(table: dict, who: str, columns: tuple[str, ...]) -> list[str]:
    return sorted(column for column, seen in zip(columns, table[who], strict=True) if seen)


def _labels(queryset, labels: dict) -> list[str]:
    """The setup labels of the rows in ``queryset``, e.g. ["case", "unshared"]."""
    return sorted(labels[pk] for pk in queryset.values_list("pk", flat=True))


@pytest.fixture
def records(world, extra_users) -> dict:
    """One record of every kind on each case of ``world``: {model: {pk: case label}}."""
    rows = defaultdict(dict)
    for label in CASES:
        case = getattr(world, label)
        party = f.CasePartyFactory(case=case)
        person = party.person
        request = f.ExtraditionRequestFactory(case=case, person=person)
        complaint = f.ComplaintFactory(case=case)
        complaint.complainants.set([person])
        f.CaseAccessFactory(case=case)
        for record in [
            case,
            party,
            f.DetentionFactory(case=case, person=person),
            request,
            f.ExtraditionDecisionFactory(request=request),
            f.NoteFactory(case=case),
            f.DocumentFactory(case=case),
            f.StatusDecisionFactory(case=case, person=person),
            complaint,
            f.InterimMeasureFactory(complaint=complaint),
            f.CommitteeDecisionFactory(complaint=complaint),
            event_record(verb=Verb.UPDATED, actor=world.admin, subject=case, case=case),
            *CaseAccess.objects.filter(case=case),
        ]:
            rows[type(record)][record.pk] = label
    return rows


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("model", CASE_MODELS, ids=lambda model: model.__name__)
def test_case_data_is_visible_through_its_case(user_named, records, model, who):
    visible = model.objects.visible_to(user_named(who))
    expected = [
        label for label in records[model].values() if label in _seen(CASES_SEEN, who, CASES)
    ]
    assert _labels(visible, records[model]) == sorted(expected)


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("label", ["case", "restricted", "unshared"])
def test_case_can(user_named, world, who, label):
    user, case = user_named(who), getattr(world, label)
    expected = CAN[who][("case", "restricted", "unshared").index(label)]
    got = "".join(
        letter if case_can(user=user, case=case, action=action) else "-"
        for letter, action in ACTION_LETTERS.items()
    )
    assert got == expected


@pytest.mark.parametrize("who", USERS)
def test_case_get_answers_hidden_and_missing_alike(user_named, world, who):
    user = user_named(who)
    for label, seen in zip(CASES, CASES_SEEN[who], strict=True):
        case = getattr(world, label)
        if seen:
            assert case_get(user=user, case_id=case.pk) == case
        else:
            with pytest.raises(Http404) as hidden:
                case_get(user=user, case_id=case.pk)
            with pytest.raises(Http404) as missing:
                case_get(user=user, case_id=uuid.uuid4())
            assert str(hidden.value) == str(missing.value)


# --- people -----------------------------------------------------------------------------------

# A person party to each case, and one person of each organisation who is party to no case.
PEOPLE = ("case", "restricted", "unshared", "other_case", "loose", "other_loose")

PEOPLE_SEEN = {
    #                       case restricted unshared other_case loose other_loose
    "anonymous":            (N,  N,         N,       N,         N,    N),
    "stranger":             (N,  N,         N,       N,         N,    N),
    "inactive":             (N,  N,         N,       N,         N,    N),
    "superuser":            (N,  N,         N,       N,         N,    N),
    "other_caseworker":     (N,  N,         N,       Y,         N,    Y),
    "other_admin":          (N,  N,         N,       Y,         N,    Y),
    # A viewer sees people only through the cases they see.
    "viewer":               (Y,  N,         Y,       N,         N,    N),
    # Caseworkers and admins see every person of their organisation, restricted case or not.
    "caseworker":           (Y,  Y,         Y,       N,         Y,    N),
    "admin":                (Y,  Y,         Y,       N,         Y,    N),
    "lawyer":               (Y,  N,         N,       N,         N,    N),
    "restricted_member":    (Y,  Y,         Y,       N,         N,    N),
}  # fmt: skip

# Organisations each user discovers, and the members listed to them.
ORGS_SEEN = {
    "anonymous": [],
    "stranger": [],
    "inactive": [],
    "superuser": [],
    "other_caseworker": ["other_org"],
    "other_admin": ["other_org"],
    "viewer": ["org"],
    "caseworker": ["org"],
    "admin": ["org"],
    "lawyer": [],
    "restricted_member": ["org"],
}
MEMBERS = {
    "org": ["admin", "caseworker", "inactive", "restricted_member", "viewer"],
    "other_org": ["other_admin", "other_caseworker"],
}
# Organisation events (e.g. a membership granted) are for the organisation's admins.
ORG_EVENTS_SEEN = {**{who: [] for who in ORGS_SEEN}, "admin": ["org"], "other_admin": ["other_org"]}


@pytest.fixture
def people(world, extra_users) -> dict:
    """The persons of PEOPLE with an other spelling, a relative and an event each, and one
    event of each organisation: {model: {pk: label}}."""
    rows = defaultdict(dict)
    for label in PEOPLE:
        if label in CASES:
            person = f.CasePartyFactory(case=getattr(world, label)).person
        else:
            person = f.PersonFactory(
                organisation=world.other_org if "other" in label else world.org
            )
        for record in [
            person,
            f.PersonNameFactory(person=person),
            f.RelationshipFactory(person=person),
            event_record(verb=Verb.UPDATED, actor=world.admin, subject=person, person=person),
        ]:
            rows[type(record)][record.pk] = label
    for label in ("org", "other_org"):
        membership = Membership.objects.filter(organisation=getattr(world, label)).first()
        event = event_record(verb=Verb.UPDATED, actor=world.admin, subject=membership)
        rows[CaseEvent][event.pk] = label
    return rows


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("model", [Person, PersonName, Relationship], ids=lambda m: m.__name__)
def test_people_and_their_records_visibility(user_named, people, model, who):
    visible = model.objects.visible_to(user_named(who))
    assert _labels(visible, people[model]) == _seen(PEOPLE_SEEN, who, PEOPLE)


@pytest.mark.parametrize("who", USERS)
def test_person_and_organisation_events_visibility(user_named, people, who):
    expected = _seen(PEOPLE_SEEN, who, PEOPLE) + ORG_EVENTS_SEEN[who]
    visible = CaseEvent.objects.visible_to(user_named(who))
    assert _labels(visible, people[CaseEvent]) == sorted(expected)


@pytest.mark.parametrize("who", USERS)
def test_organisations_never_discover_each_other(user_named, world, who):
    user = user_named(who)
    labels = {world.org.pk: "org", world.other_org.pk: "other_org"}
    assert _labels(Organisation.objects.visible_to(user), labels) == ORGS_SEEN[who]
    members = Membership.objects.visible_to(user).values_list("user__username", flat=True)
    assert sorted(members) == sorted(name for org in ORGS_SEEN[who] for name in MEMBERS[org])
