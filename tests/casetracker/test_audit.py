"""The audit helpers (casetracker/audit.py): what a timeline event keeps of a record."""

import json
import uuid
from datetime import date

from django.contrib.contenttypes.models import ContentType

from cases.models import Detention, ExtraditionRequest
from casetracker.audit import Verb, changed, event_kind, event_record, snapshot
from rulings.models import Complaint
from tests import factories as f


def _round_trip(data: dict) -> dict:
    return json.loads(json.dumps(data))


def test_snapshot_of_a_person_is_json_safe(db):
    person = f.PersonFactory(
        family_name="Yusupov",
        birth_date=date(1978, 1, 1),
        birth_date_precision="year",
        citizenships=["UZ", "RU"],
        languages=["uz", "ru"],
    )
    data = snapshot(person)
    assert _round_trip(data) == data
    assert data["id"] == str(person.pk)
    assert uuid.UUID(data["id"]) == person.pk
    assert data["organisation"] == str(person.organisation_id)
    assert data["birth_date"] == "1978-01-01"
    assert data["citizenships"] == "RU,UZ"
    assert data["languages"] == ["uz", "ru"]
    # Timestamps and the derived search index say nothing a reader of the timeline needs.
    assert not {"created_at", "updated_at", "search_text"} & set(data)


def test_snapshot_gives_foreign_keys_as_ids_and_countries_as_codes(db):
    request = f.ExtraditionRequestFactory(requesting_state="UZ", requested_state="KZ")
    data = snapshot(request)
    assert _round_trip(data) == data
    assert (data["person"], data["case"]) == (str(request.person_id), str(request.case_id))
    assert (data["requesting_state"], data["requested_state"]) == ("UZ", "KZ")
    assert (data["received_on"], data["surrendered_on"]) == ("2010-06-20", None)
    membership = f.MembershipFactory()
    assert snapshot(membership)["user"] == membership.user_id


def test_snapshot_keeps_a_file_by_its_stored_name(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = f.DocumentFactory()
    data = snapshot(document)
    assert _round_trip(data) == data
    assert data["file"] == document.file.name
    assert data["uploaded_by"] is None


def test_snapshot_of_an_event_gives_its_time_in_iso_format(world):
    event = event_record(verb=Verb.CLOSED, actor=world.admin, subject=world.case, case=world.case)
    data = snapshot(event)
    assert _round_trip(data) == data
    assert data["at"] == event.at.isoformat()
    assert data["actor"] == world.admin.pk


def test_snapshot_lists_plain_many_to_many_links_by_sorted_id(world):
    complaint = f.ComplaintFactory(case=world.case)
    people = [f.CasePartyFactory(case=world.case).person for _ in range(3)]
    complaint.complainants.set(people)
    data = snapshot(complaint)
    assert _round_trip(data) == data
    assert data["complainants"] == sorted(str(p.pk) for p in people)
    # A case's parties have a model of their own, with their own events.
    assert "parties" not in snapshot(world.case)


def test_snapshot_of_an_unsaved_record_has_no_links(db, django_assert_num_queries):
    complaint = Complaint(body="CAT", state_party="KZ", submitted_on=date(2010, 12, 1))
    with django_assert_num_queries(0):
        data = snapshot(complaint)
    assert "complainants" not in data


def test_snapshot_of_chosen_fields(db):
    detention = f.DetentionFactory(facility="IVS, Almaty")
    assert snapshot(detention, fields=["facility", "started_on"]) == {
        "facility": "IVS, Almaty",
        "started_on": "2010-06-10",
    }


def test_changed_keeps_only_the_differing_keys():
    before = {"facility": "IVS", "started_on": "2010-06-10", "ended_on": None}
    after = {"facility": "SIZO-1", "started_on": "2010-06-10", "ended_on": "2010-12-01"}
    assert changed(before, after) == (
        {"facility": "IVS", "ended_on": None},
        {"facility": "SIZO-1", "ended_on": "2010-12-01"},
    )
    assert changed(after, dict(after)) == ({}, {})


def test_changed_reports_a_key_new_in_after_as_none_before():
    assert changed({"a": 1}, {"a": 1, "documents": ["x"]}) == (
        {"documents": None},
        {"documents": ["x"]},
    )


def test_changed_between_snapshots_of_one_record(db):
    person = f.PersonFactory(phone="")
    before = snapshot(person)
    person.phone, person.citizenships = "+7 701 111 2233", ["KZ"]
    assert changed(before, snapshot(person)) == (
        {"phone": "", "citizenships": ""},
        {"phone": "+7 701 111 2233", "citizenships": "KZ"},
    )


def test_event_kind_is_model_name_and_verb(db):
    assert event_kind(Detention, Verb.ENDED) == "detention.ended"
    assert event_kind(ExtraditionRequest(), Verb.SURRENDERED) == "extraditionrequest.surrendered"


def test_event_record_names_its_subject_and_owner(world):
    detention = f.DetentionFactory(case=world.case)
    event = event_record(
        verb=Verb.CREATED,
        actor=world.caseworker,
        subject=detention,
        case=world.case,
        person=detention.person,
        after={"facility": "IVS"},
    )
    assert (event.kind, event.organisation, event.actor) == (
        "detention.created",
        world.org,
        world.caseworker,
    )
    assert event.subject_type == ContentType.objects.get_for_model(Detention)
    assert (event.subject_id, event.subject) == (detention.pk, detention)
    assert event.subject_repr == str(detention)
    assert event.data == {"after": {"facility": "IVS"}}


def test_event_record_of_a_person_alone_belongs_to_the_person_s_organisation(world):
    person = f.PersonFactory(
        organisation=world.other_org, family_name="K" * 150, given_name="R" * 150, patronymic="P"
    )
    event = event_record(verb=Verb.UPDATED, actor=None, subject=person, person=person, before={})
    assert (event.organisation, event.case, event.person) == (world.other_org, None, person)
    assert len(event.subject_repr) == 300
    assert event.data == {"before": {}}
