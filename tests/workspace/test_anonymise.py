"""Forgetting a person (issue #11 item 2): after ``person_anonymise`` no table holds their
former names or phone in any script, their own cases' files are gone, the legal facts stay,
and one timeline event says who did it and why."""

import datetime
import urllib.parse

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from cases.models import Case, CaseEvent, Deadline, Document
from cases.services.cases import case_close
from cases.services.deadlines import deadline_create
from cases.services.notes import document_upload, note_file
from casetracker.models import AccessLogEntry
from people.models import Person, PersonName
from people.selectors import person_search
from people.services import person_name_add, person_update, relationship_create
from tests import factories as f
from tests.helpers import nothing_written
from tests.pages.matrix import USERS, PageMatrix, client_for
from workspace.services import PLACEHOLDER, person_anonymise, person_merge

FAMILY, GIVEN = "Абдусаматов", "Рустам"
LATIN = "Abdusamatov"
PHONE = "+7 701 555 0142"
FORMER = [FAMILY, GIVEN, LATIN, "абдусаматов", "ABDUSAMATOV", "701 555 0142", "Dilnoza"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "documents"
    return settings.MEDIA_ROOT


def _database_text() -> str:
    """Every value of every table, as text: what a dump of the database would hold."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks += [" ".join(str(v) for v in row) for row in cursor.fetchall()]
    text = "\n".join(chunks)
    return text + "\n" + urllib.parse.unquote_plus(text)  # the access log's queries, decoded


@pytest.fixture
def file(world):
    """Rustam Abdusamatov, in Cyrillic and Latin, with a phone, a relative, notes and documents
    on his own (closed) case and on a shared one, searched for in the access log."""
    case = f.CaseFactory(
        organisation=world.org, reference="ALA-2020-009", title=f"Extradition of {LATIN}"
    )
    person = f.CasePartyFactory(case=case, person__family_name=FAMILY).person
    person_update(
        acting_user=world.caseworker,
        person=person,
        given_name=GIVEN,
        phone=PHONE,
        birth_date=datetime.date(1984, 3, 2),
        birth_place="Андижан",
        notes=f"{GIVEN} fears the SNB",
    )
    person_name_add(acting_user=world.caseworker, person=person, name=f"{LATIN} Rustam")
    relationship_create(
        acting_user=world.caseworker, person=person, kind="spouse", relative_name="Dilnoza"
    )
    note_file(
        acting_user=world.caseworker,
        case=case,
        occurred_on=datetime.date(2026, 10, 1),
        body=f"Met {LATIN} in the SIZO; his wife Dilnoza called from +7 701 555 0142.",
    )
    own = document_upload(
        acting_user=world.caseworker,
        case=case,
        file=SimpleUploadedFile(f"{LATIN}-passport.pdf", b"%PDF-1.4 passport"),
        title=f"Passport of {LATIN}",
    )
    # A shared case (his and another person's): its documents stay, their names are redacted.
    family_case = f.CaseFactory(
        organisation=world.org, status="closed", closed_on=datetime.date(2026, 5, 1)
    )
    f.CasePartyFactory(case=family_case, person=person)
    f.CasePartyFactory(case=family_case)
    shared = document_upload(
        acting_user=world.caseworker,
        case=family_case,
        file=SimpleUploadedFile("decision.pdf", b"%PDF-1.4 decision"),
        title=f"Decision about {FAMILY} and others",
    )
    deadline_create(
        acting_user=world.caseworker,
        case=case,
        person=person,
        title=f"Appeal for {LATIN}",
        due_on=datetime.date(2026, 12, 20),
    )
    client = client_for(world.caseworker)
    client.get(reverse("people:person_list"), {"q": LATIN})
    client.get(reverse("people:person_list"), {"q": FAMILY.lower()})
    case_close(acting_user=world.caseworker, case=case, closed_on=datetime.date(2026, 11, 1))
    return person, case, own, shared


def _deadlines(case) -> list:
    return list(
        Deadline.objects.filter(case=case)
        .order_by("pk")
        .values_list("rule_id", "due_at", "computed_due_at", "status", "basis_date")
    )


def test_no_table_holds_the_former_name_or_phone(
    world, file, media_root, django_capture_on_commit_callbacks
):
    person, case, own, shared = file
    assert all(word in _database_text() for word in (LATIN, FAMILY, "Dilnoza"))
    deadlines = _deadlines(case)

    with django_capture_on_commit_callbacks(execute=True):
        event = person_anonymise(
            acting_user=world.admin, person=person, reason="Retention period ended"
        )

    dump = _database_text()
    assert [word for word in FORMER if word.lower() in dump.lower()] == []
    assert _deadlines(case) == deadlines  # the legal facts stay
    person = Person.objects.get(pk=person.pk)
    assert (person.family_name, person.birth_date, person.phone) == (PLACEHOLDER, None, "")
    assert person.anonymised_at is not None
    assert not PersonName.objects.filter(person=person).exists()
    assert not person_search(user=world.admin, query=LATIN)
    # The file of his own case is gone; the shared case's file stays, its title redacted.
    assert Document.objects.get(pk=own.pk).file.name == ""
    assert not (media_root / own.file.name).exists()
    shared = Document.objects.get(pk=shared.pk)
    assert shared.file.open().read() == b"%PDF-1.4 decision"
    assert shared.title == f"Decision about {PLACEHOLDER} and others"
    assert Case.objects.get(pk=case.pk).title == f"Extradition of {PLACEHOLDER}"
    # One event says who and why.
    assert (event.kind, event.actor, event.data["after"]["reason"]) == (
        "person.anonymised",
        world.admin,
        "Retention period ended",
    )
    assert AccessLogEntry.objects.filter(query__contains="anonymised").count() == 2


def test_the_download_of_a_deleted_file_says_so(world, file, django_capture_on_commit_callbacks):
    person, _case, own, _shared = file
    with django_capture_on_commit_callbacks(execute=True):
        person_anonymise(acting_user=world.admin, person=person, reason="Asked for erasure")
    response = client_for(world.admin).get(reverse("cases:document_download", args=[own.pk]))
    assert response.status_code == 404


def test_a_party_to_an_open_case_is_refused_and_nothing_changes(world):
    person = f.CasePartyFactory(case=world.case, person__family_name=FAMILY).person
    with nothing_written(), pytest.raises(ValidationError) as refused:
        person_anonymise(acting_user=world.admin, person=person, reason="Asked for erasure")
    assert "ALA-2010-001" in str(refused.value)
    assert Person.objects.get(pk=person.pk).family_name == FAMILY


@pytest.mark.parametrize("who", ["caseworker", "viewer", "other_admin"])
def test_only_an_admin_of_the_organisation_may(world, who):
    person = f.PersonFactory(organisation=world.org)
    with nothing_written(), pytest.raises(PermissionDenied):
        person_anonymise(acting_user=getattr(world, who), person=person, reason="x")


def test_a_reason_is_required(world):
    person = f.PersonFactory(organisation=world.org)
    with nothing_written(), pytest.raises(ValidationError) as refused:
        person_anonymise(acting_user=world.admin, person=person, reason="  ")
    assert "reason" in refused.value.message_dict


# --- the page ----------------------------------------------------------------------------------

ANONYMISE_STATUS = {**dict.fromkeys(USERS, 404), "admin": 200, "caseworker": 403, "viewer": 403}
ANONYMISE_STATUS["lawyer"] = 403  # sees the person through the shared case


class TestAnonymisePage(PageMatrix):
    url_name = "workspace:person_anonymise"
    status = ANONYMISE_STATUS
    budget_user = "admin"
    query_budget = 8

    def add_row(self, world):
        pass  # a form: nothing grows

    def url(self, world):
        person = f.CasePartyFactory(case=world.case).person
        return reverse("workspace:person_anonymise", args=[person.pk])


def test_the_page_anonymises_after_confirmation_and_the_person_page_says_so(world):
    person = f.CasePartyFactory(
        case=f.CaseFactory(
            organisation=world.org, status="closed", closed_on=datetime.date(2026, 1, 2)
        ),
        person__family_name=FAMILY,
    ).person
    client = client_for(world.admin)
    url = reverse("workspace:person_anonymise", args=[person.pk])
    assert url in client.get(person.get_absolute_url()).content.decode()
    assert url not in client_for(world.caseworker).get(person.get_absolute_url()).content.decode()

    unconfirmed = client.post(url, {"reason": "Asked for erasure"})
    assert unconfirmed.status_code == 400
    assert Person.objects.get(pk=person.pk).family_name == FAMILY

    response = client.post(url, {"reason": "Asked for erasure", "confirm": "on"})
    assert response.status_code == 302
    page = client.get(person.get_absolute_url()).content.decode()
    assert "was anonymised on" in page and FAMILY not in page
    assert CaseEvent.objects.filter(kind="person.anonymised", person=person).count() == 1


def test_the_page_shows_why_an_open_case_stops_it(world):
    person = f.CasePartyFactory(case=world.case, person__family_name=FAMILY).person
    url = reverse("workspace:person_anonymise", args=[person.pk])
    response = client_for(world.admin).post(url, {"reason": "Asked", "confirm": "on"})
    assert response.status_code == 400
    assert "ALA-2010-001" in response.content.decode()


def test_a_record_merged_into_the_person_is_forgotten_with_them(world):

    closed = f.CaseFactory(
        organisation=world.org, status="closed", closed_on=datetime.date(2026, 1, 2)
    )
    keep = f.CasePartyFactory(case=closed, person__family_name=FAMILY, person__given_name="").person
    duplicate = f.PersonFactory(
        organisation=world.org, family_name=LATIN, given_name="", birth_place="Андижан"
    )
    person_merge(
        acting_user=world.caseworker,
        keep=keep,
        merge=duplicate,
        reason="One person",
        choices={"family_name": "keep"},
    )
    person_anonymise(acting_user=world.admin, person=keep, reason="Asked for erasure")

    dump = _database_text()
    assert [word for word in (FAMILY, LATIN, "Андижан") if word.lower() in dump.lower()] == []
    assert Person.objects.get(pk=duplicate.pk).family_name == PLACEHOLDER
