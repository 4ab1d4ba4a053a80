"""Merging two records of one person (issue #12 item 2): every link moves to the kept record
(found by introspection: a model added later with a foreign key to Person fails here until the
merge and this test know it), every spelling stays, conflicts need a choice, the merged record
disappears from lists and search, and the merge is all or nothing."""

import datetime
import uuid

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from cases.choices import AlertKind, DetentionEndReason, PartyRole
from cases.models import CaseEvent, CaseParty
from casetracker import crypto
from organisations.choices import Role
from people.choices import NameKind
from people.models import NotDuplicate, Person, PersonName, Relationship
from people.selectors import person_search
from people.services import person_name_add, person_not_duplicate, relationship_create
from tests import factories as f
from tests.helpers import Timeline, nothing_written
from workspace.selectors import merged_target
from workspace.services import merge as services
from workspace.services import person_anonymise, person_merge

REASON = "Same passport number in both files"
# The timeline is append-only: the merged record's past events stay its own.
NOT_MOVED = {("cases.CaseEvent", "person")}


def _merge(world, keep, merge, **choices):
    """Merge the fixture's two records as its caseworker, keeping the Latin family name."""
    return person_merge(
        acting_user=world.caseworker,
        keep=keep,
        merge=merge,
        reason=REASON,
        choices={"family_name": "keep", **choices},
    )


def _links() -> list:
    """Every foreign key to Person, many-to-many link tables included, by introspection."""
    return [
        field
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model is Person
    ]


def _pointing_at(person) -> dict[tuple[str, str], int]:
    return {
        (field.model._meta.label, field.name): field.model._base_manager.filter(
            **{field.name: person}
        ).count()
        for field in _links()
    }


@pytest.fixture
def pair(world):
    """Two records of Rustam Abdusamatov in ``world.org``: the kept one in Latin script, party
    to ``world.case``; the merged one in Cyrillic, party to ``world.case`` (again) and to the
    restricted case."""
    keep = f.CasePartyFactory(
        case=world.case, person__family_name="Abdusamatov", role=PartyRole.WITNESS
    ).person
    merge = f.PersonFactory(organisation=world.org, family_name="Абдусаматов", given_name="Rustam")
    f.CasePartyFactory(case=world.case, person=merge, role=PartyRole.PRINCIPAL)
    f.CasePartyFactory(case=world.restricted, person=merge)
    return keep, merge


@pytest.fixture
def every_link(world, pair):
    """One row of every model with a foreign key to Person, pointing at the merged record."""
    _keep, merge = pair
    user, case = world.caseworker, world.restricted
    third = f.CasePartyFactory(case=case).person
    person_name_add(acting_user=user, person=merge, name="Abdussamatov Rustam")
    relationship_create(acting_user=user, person=merge, kind="spouse", relative_name="Dilnoza")
    relationship_create(acting_user=user, person=third, kind="sibling", relative=merge)
    detention = f.DetentionFactory(case=case, person=merge)
    f.ExtraditionRequestFactory(case=case, person=merge)
    f.StatusDecisionFactory(case=case, person=merge)
    complaint = f.ComplaintFactory(case=case)
    complaint.complainants.set([merge])
    f.RuleDeadlineFactory(case=case, person=merge, code="kz.provisional_arrest", subject=detention)
    f.AlertFactory(case=case, person=merge)
    f.PersonFactory(organisation=world.org, merged_into=merge)  # an earlier merge
    # A pair is stored smaller id first: one mark with the merged record on each side.
    for pk in (uuid.UUID(int=1), uuid.UUID(int=2**128 - 1)):
        other = f.PersonFactory(id=pk, organisation=world.org)
        person_not_duplicate(acting_user=user, person=merge, other=other)
    return third


def test_every_link_to_a_person_moves_to_the_kept_record(world, pair, every_link):
    keep, merge = pair
    before = _pointing_at(merge)
    unbuilt = sorted(link for link, count in before.items() if count == 0)
    assert unbuilt == [], (
        f"{unbuilt} point at Person but this test builds no row of them: build one in "
        "every_link, and make sure person_merge moves it (or says why it may not)"
    )

    _merge(world, keep, merge)

    left = _pointing_at(merge)
    assert {link: n for link, n in left.items() if n and link not in NOT_MOVED} == {}
    # Its past events stay, and one more says it was merged.
    events = ("cases.CaseEvent", "person")
    assert _pointing_at(merge)[events] == before[events] + 1
    after = _pointing_at(keep)
    assert after[("cases.Detention", "person")] == 1
    assert after[("rulings.Complaint_complainants", "person")] == 1
    assert after[("people.Person", "merged_into")] == 2  # the earlier merge, and this one
    assert after[("people.NotDuplicate", "person")] + after[("people.NotDuplicate", "other")] == 2


def test_the_merged_record_is_marked_and_its_old_address_leads_to_the_kept_one(world, pair):
    keep, merge = pair
    _merge(world, keep, merge)
    merge.refresh_from_db()
    assert merge.merged_into == keep and merge.merged_at is not None
    assert merged_target(user=world.lawyer, person_id=merge.pk) == keep
    assert merged_target(user=world.caseworker, person_id=keep.pk) is None
    assert merged_target(user=world.other_caseworker, person_id=merge.pk) is None


def test_the_merged_record_leaves_every_list_and_search(world, pair):
    keep, merge = pair
    _merge(world, keep, merge)
    for user in (world.caseworker, world.admin, world.viewer, world.lawyer):
        assert merge not in Person.objects.visible_to(user)
    assert keep in Person.objects.visible_to(world.lawyer)
    assert merge in Person.objects.visible_to(world.admin, merged=True)
    for query in ("Абдусаматов", "Abdusamatov", "abdussamatov"):
        assert person_search(user=world.caseworker, query=query) == [keep], query


def test_every_spelling_of_both_records_is_kept_and_found(world, pair):
    keep, merge = pair
    person_name_add(acting_user=world.caseworker, person=merge, name="Abdusamatov")  # repeats
    person_merge(
        acting_user=world.caseworker,
        keep=keep,
        merge=merge,
        reason=REASON,
        choices={"family_name": "merge"},
    )
    keep.refresh_from_db()
    assert keep.family_name == "Абдусаматов"
    spellings = dict(PersonName.objects.filter(person=keep).values_list("name", "kind"))
    # The kept record's own former name became a spelling; the merged one's copy of it went.
    assert spellings == {"Abdusamatov Rustam": NameKind.ALIAS, "Abdusamatov": "transliteration"}
    assert person_search(user=world.caseworker, query="Abdusamatov") == [keep]


def test_a_field_the_records_hold_differently_needs_a_choice(world, pair):
    keep, merge = pair
    Person.objects.filter(pk=merge.pk).update(given_name="Rustem", birth_place="Andijan")
    merge.refresh_from_db()
    with nothing_written(), pytest.raises(ValidationError) as error:
        person_merge(acting_user=world.caseworker, keep=keep, merge=merge, reason=REASON)
    assert set(error.value.message_dict) == {"family_name", "given_name"}

    with nothing_written(), pytest.raises(ValidationError) as error:
        person_merge(
            acting_user=world.caseworker,
            keep=keep,
            merge=merge,
            reason=REASON,
            choices={"family_name": "keep", "given_name": "theirs", "search_text": "keep"},
        )
    assert set(error.value.message_dict) == {"given_name", "search_text"}

    person_merge(
        acting_user=world.caseworker,
        keep=keep,
        merge=merge,
        reason=REASON,
        choices={"family_name": "keep", "given_name": "merge"},
    )
    keep.refresh_from_db()
    # The blank place of birth took the merged record's without asking.
    assert (keep.family_name, keep.given_name, keep.birth_place) == (
        "Abdusamatov",
        "Rustem",
        "Andijan",
    )


def test_blank_fields_take_the_other_records_values(world, pair):
    keep, merge = pair
    Person.objects.filter(pk=keep.pk).update(sex="male")
    merge.birth_date, merge.birth_date_precision = datetime.date(1984, 1, 1), "year"
    merge.phone, merge.citizenships = "+7 701 555 0142", ["UZ"]
    merge.save()
    keep.refresh_from_db()
    person_merge(
        acting_user=world.caseworker,
        keep=keep,
        merge=merge,
        reason=REASON,
        choices={"family_name": "keep"},
    )
    keep.refresh_from_db()
    assert keep.sex == "male"  # the merged record's "unknown" is blank
    assert (keep.birth_date, keep.birth_date_precision) == (datetime.date(1984, 1, 1), "year")
    assert keep.phone == "+7 701 555 0142"
    assert [c.code for c in keep.citizenships] == ["UZ"]


def test_the_events_say_what_happened(world, pair):
    keep, merge = pair
    merge.phone = "+7 701 555 0142"
    merge.save()
    timeline = Timeline()
    person_merge(
        acting_user=world.caseworker,
        keep=keep,
        merge=merge,
        reason=REASON,
        choices={"family_name": "keep"},
    )
    events = timeline.new()
    assert len(events) == 4
    assert {(e.kind, e.case_id, e.person_id) for e in events} == {
        ("person.merged", world.case.pk, keep.pk),
        ("person.merged", world.restricted.pk, keep.pk),
        ("person.merged", None, keep.pk),
        ("person.merged", None, merge.pk),
    }
    assert {e.actor for e in events} == {world.caseworker}
    on_keep = next(e for e in events if e.case is None and e.person == keep)
    changes = on_keep.changes
    assert changes["before"] == {"family_name": "Abdusamatov", "phone": ""}
    assert changes["after"]["phone"] == "+7 701 555 0142"
    assert crypto.is_sealed(on_keep.data["after"]["phone"])  # sealed at rest
    assert changes["after"]["choices"] == {"family_name": "keep", "phone": "merge"}
    assert changes["after"]["merged"] == str(merge.pk)
    assert changes["after"]["reason"] == REASON
    moved = changes["after"]["records"]["moved"]
    dropped = changes["after"]["records"]["dropped"]
    assert len(moved["cases.CaseParty"]) == 1 and len(dropped["cases.CaseParty"]) == 1
    on_merge = next(e for e in events if e.person == merge)
    assert on_merge.changes["before"]["family_name"] == "Абдусаматов"
    # Both records were parties to world.case: one party stays, with the stronger role.
    party = CaseParty.objects.get(case=world.case, person=keep)
    assert party.role == PartyRole.PRINCIPAL
    on_case = next(e for e in events if e.case == world.case)
    assert on_case.changes["after"]["records"]["dropped"]["cases.CaseParty"][0]["role"] == (
        PartyRole.PRINCIPAL
    )
    # The merged record's past events stay visible to the organisation's staff.
    assert CaseEvent.objects.visible_to(world.admin).filter(person=merge).count() == 1


def test_a_relationship_between_the_two_records_goes(world, pair):
    keep, merge = pair
    relationship_create(
        acting_user=world.caseworker, person=keep, kind="sibling", relative=merge, phone="+7 1"
    )
    _merge(world, keep, merge)
    assert not Relationship.objects.exists()
    event = CaseEvent.objects.get(kind="person.merged", case=None, person=keep)
    [kept_values] = event.data["after"]["records"]["dropped"]["people.Relationship"]
    assert crypto.unseal(kept_values["phone"]) == "+7 1"


def test_a_merge_that_would_overlap_two_detentions_is_refused(world, pair):
    keep, merge = pair
    f.DetentionFactory(case=world.case, person=keep, started_on=datetime.date(2010, 6, 9))
    f.DetentionFactory(case=world.case, person=merge, started_on=datetime.date(2010, 6, 10))
    with nothing_written(), pytest.raises(ValidationError, match="cannot overlap"):
        _merge(world, keep, merge)


def test_a_merge_reveals_a_breach_of_an_interim_measure(world, pair):
    """The kept record is a complainant under an interim measure; the merged record's detention
    ended in extradition while it was in force: one person, so the State breached it."""
    keep, merge = pair
    complaint = f.ComplaintFactory(case=world.case)
    complaint.complainants.set([keep])
    f.InterimMeasureFactory(complaint=complaint, granted_on=datetime.date(2010, 12, 3))
    f.DetentionFactory(
        case=world.case,
        person=merge,
        ended_on=datetime.date(2011, 6, 9),
        end_reason=DetentionEndReason.EXTRADITED,
    )
    _merge(world, keep, merge)
    [alert] = keep.alerts.filter(kind=AlertKind.INTERIM_MEASURE_BREACH)
    assert alert.case == world.case and alert.level == "critical"


@pytest.mark.parametrize("who", ["viewer", "lawyer", "other_caseworker", "stranger"])
def test_only_the_organisations_caseworkers_and_admins_merge(world, pair, who):
    keep, merge = pair
    with nothing_written(), pytest.raises(PermissionDenied):
        person_merge(acting_user=getattr(world, who), keep=keep, merge=merge, reason=REASON)


def test_records_of_two_organisations_are_never_merged(world, pair):
    keep, _merge = pair
    outsider = f.PersonFactory(organisation=world.other_org, family_name="Abdusamatov")
    with nothing_written(), pytest.raises(PermissionDenied):
        person_merge(acting_user=world.caseworker, keep=keep, merge=outsider, reason=REASON)
    f.MembershipFactory(user=world.caseworker, organisation=world.other_org, role=Role.ADMIN)
    with nothing_written(), pytest.raises(ValidationError, match="same organisation"):
        person_merge(acting_user=world.caseworker, keep=keep, merge=outsider, reason=REASON)


def test_a_merge_needs_a_reason(world, pair):
    keep, merge = pair
    with nothing_written(), pytest.raises(ValidationError) as error:
        person_merge(acting_user=world.caseworker, keep=keep, merge=merge, reason="  ")
    assert "reason" in error.value.message_dict


def test_a_merged_anonymised_or_same_record_is_refused(world, pair):
    keep, merge = pair
    with nothing_written(), pytest.raises(ValidationError, match="itself"):
        person_merge(acting_user=world.caseworker, keep=keep, merge=keep, reason=REASON)
    _merge(world, keep, merge)
    again = f.PersonFactory(organisation=world.org, family_name="Abdusamatov")
    for args in ({"keep": again, "merge": merge}, {"keep": merge, "merge": again}):
        with nothing_written(), pytest.raises(ValidationError, match="merged into another"):
            person_merge(acting_user=world.caseworker, reason=REASON, **args)
    person_anonymise(acting_user=world.admin, person=again, reason="Retention period ended")
    with nothing_written(), pytest.raises(ValidationError, match="anonymised"):
        person_merge(acting_user=world.admin, keep=keep, merge=again, reason=REASON)


@pytest.mark.parametrize(
    "step", ["_move", "_move_not_duplicates", "_spellings_keep", "person_endangered"]
)
@pytest.mark.parametrize("error", [RuntimeError, IntegrityError])
def test_a_merge_failing_midway_leaves_both_records_untouched(
    world, pair, every_link, monkeypatch, step, error
):
    """A failure injected after some links moved (the third field's move, or a later step)
    rolls every move back: both records and every link are as they were."""
    keep, merge = pair
    real = getattr(services, step)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if step != "_move" or len(calls) == 3:
            raise error("injected failure")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, step, failing)
    with nothing_written(), pytest.raises(error, match="injected"):
        person_merge(
            acting_user=world.caseworker,
            keep=keep,
            merge=merge,
            reason=REASON,
            choices={"family_name": "merge"},
        )
    assert calls


def test_not_a_duplicate_is_one_row_per_pair_whichever_way_round(world, pair):
    keep, merge = pair
    timeline = Timeline()
    mark = person_not_duplicate(
        acting_user=world.caseworker, person=merge, other=keep, reason="Different fathers"
    )
    assert (mark.person.pk, mark.other.pk) == tuple(sorted([keep.pk, merge.pk]))
    assert mark.marked_by == world.caseworker and mark.reason == "Different fathers"
    assert [e.kind for e in timeline.new()] == ["notduplicate.created"]
    with nothing_written():
        assert person_not_duplicate(acting_user=world.admin, person=keep, other=merge) == mark
    assert set(NotDuplicate.objects.partners_of(keep).values_list("pk", flat=True)) == {merge.pk}
    assert set(NotDuplicate.objects.partners_of(merge).values_list("pk", flat=True)) == {keep.pk}


def test_not_a_duplicate_is_refused_to_viewers_and_across_organisations(world, pair):
    keep, merge = pair
    outsider = f.PersonFactory(organisation=world.other_org)
    with nothing_written():
        with pytest.raises(PermissionDenied):
            person_not_duplicate(acting_user=world.viewer, person=keep, other=merge)
        with pytest.raises(PermissionDenied):
            person_not_duplicate(acting_user=world.caseworker, person=keep, other=outsider)
        with pytest.raises(ValidationError):
            person_not_duplicate(acting_user=world.caseworker, person=keep, other=keep)


def test_the_database_keeps_a_pair_in_its_order(world, pair):
    keep, merge = pair
    first, second = NotDuplicate.ordered(keep, merge)
    with pytest.raises(IntegrityError):
        NotDuplicate.objects.create(organisation=world.org, person=second, other=first)


def test_the_old_address_of_a_merged_record_leads_to_the_kept_one(world):
    from tests.pages.matrix import client_for

    keep = f.CasePartyFactory(case=world.case, person__family_name="Abdusamatov").person
    merged = f.PersonFactory(organisation=world.org, family_name="Abdusamatov")
    person_merge(acting_user=world.caseworker, keep=keep, merge=merged, reason="One person")
    response = client_for(world.caseworker).get(f"/people/{merged.pk}/")
    assert (response.status_code, response["Location"]) == (302, keep.get_absolute_url())
    assert client_for(world.other_caseworker).get(f"/people/{merged.pk}/").status_code == 404


def test_a_pair_marked_not_a_duplicate_is_not_proposed_again(world):
    from people.selectors import duplicate_candidates
    from people.services import person_create, person_not_duplicate

    one, two = (
        person_create(
            acting_user=world.caseworker,
            organisation=world.org,
            family_name="Abdusamatov",
            given_name="Rustam",
        )
        for _ in range(2)
    )
    assert [c.person for c in duplicate_candidates(user=world.caseworker, person=one)] == [two]
    person_not_duplicate(acting_user=world.caseworker, person=two, other=one, reason="Cousins")
    assert duplicate_candidates(user=world.caseworker, person=one) == []
    assert duplicate_candidates(user=world.caseworker, person=two) == []
