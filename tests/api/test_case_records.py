"""Extradition requests and decisions, and notes, through /api/v1/."""

import datetime

import pytest

from cases.models import Alert, ExtraditionRequest, Note
from rulings.services import complaint_submit, interim_measure_record
from tests import factories as f
from tests.api.matrix import EndpointMatrix, client_for
from tests.helpers import EDIT, FILE, nothing_written, party


class TestExtraditionRequests(EndpointMatrix):
    basename = "extradition-request"

    def record(self, world):
        return f.ExtraditionRequestFactory(case=world.case)

    def create_data(self, world):
        return {
            "case": str(world.case.pk),
            "person": str(party(world.case).pk),
            "requesting_state": "UZ",
            "requested_state": "KZ",
            "received_on": "2010-06-20",
            "treaty": "minsk_1993",
        }

    def update_data(self, world, record):
        return {"charges": "Membership of a banned organisation"}

    verbs = {"surrender": EDIT}

    def verb_call(self, world, verb):
        return self.record(world), {"surrendered_on": "2011-06-09"}


class TestExtraditionDecisions(EndpointMatrix):
    basename = "extradition-decision"
    writes = FILE  # outside lawyers record decisions; they never delete

    def record(self, world):
        return f.ExtraditionDecisionFactory(request=f.ExtraditionRequestFactory(case=world.case))

    def create_data(self, world):
        request = f.ExtraditionRequestFactory(case=world.case)
        return {
            "request": str(request.pk),
            "stage": "prosecutor",
            "body": "Prosecutor General",
            "decided_on": "2010-09-09",
            "outcome": "granted",
        }

    def update_data(self, world, record):
        return {"body": "Prosecutor General's Office"}


class TestNotes(EndpointMatrix):
    """The note is the lawyer's own: its author may correct it with the right to file."""

    basename = "note"
    writes = FILE

    def record(self, world):
        return f.NoteFactory(case=world.case, author=world.lawyer)

    def create_data(self, world):
        return {
            "case": str(world.case.pk),
            "occurred_on": "2010-07-01",
            "body": "Hearing adjourned to 15 July.",
        }

    def update_data(self, world, record):
        return {"body": f"{record.body} The judge asked for the UNHCR letter."}


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


# --- extradition requests -------------------------------------------------------------------


def test_unknown_status_is_a_400_naming_the_field(world):
    data = {**TestExtraditionRequests().create_data(world), "status": "bogus"}
    with nothing_written():
        response = client_for(world.caseworker).post("/api/v1/extradition-requests/", data)
    assert response.status_code == 400
    assert "bogus" in response.json()["status"][0]


def test_same_requesting_and_requested_state_is_a_400(world):
    data = {**TestExtraditionRequests().create_data(world), "requested_state": "UZ"}
    with nothing_written():
        response = client_for(world.caseworker).post("/api/v1/extradition-requests/", data)
    assert response.status_code == 400
    assert "must differ" in response.json()["requested_state"][0]


def test_a_surrender_is_recorded_by_its_verb_only(world):
    request = f.ExtraditionRequestFactory(case=world.case)
    client = client_for(world.caseworker)
    with nothing_written():
        patched = client.patch(
            f"/api/v1/extradition-requests/{request.pk}/", {"status": "surrendered"}
        )
    assert patched.status_code == 400
    assert "surrender" in patched.json()["status"][0]
    response = client.post(
        f"/api/v1/extradition-requests/{request.pk}/surrender/", {"surrendered_on": "2011-06-09"}
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["surrendered_on"]) == (
        "surrendered",
        "2011-06-09",
    )
    assert not Alert.objects.filter(kind="interim_measure_breach").exists()


def test_surrender_under_an_active_interim_measure_raises_a_critical_alert(world):
    request = f.ExtraditionRequestFactory(case=world.case)
    complaint = complaint_submit(
        acting_user=world.caseworker,
        case=world.case,
        body="CAT",
        state_party="KZ",
        submitted_on=datetime.date(2010, 12, 1),
        complainants=[request.person],
        number="444/2010",
    )
    interim_measure_record(
        acting_user=world.caseworker,
        complaint=complaint,
        requested_on=datetime.date(2010, 12, 1),
        granted_on=datetime.date(2010, 12, 3),
    )
    response = client_for(world.lawyer).post(
        f"/api/v1/extradition-requests/{request.pk}/surrender/", {"surrendered_on": "2011-06-09"}
    )
    assert response.status_code == 403  # the lawyer files, but records no surrender
    response = client_for(world.caseworker).post(
        f"/api/v1/extradition-requests/{request.pk}/surrender/", {"surrendered_on": "2011-06-09"}
    )
    assert response.status_code == 200, response.json()
    alert = Alert.objects.get(kind="interim_measure_breach")
    assert (alert.level, alert.case, alert.person) == ("critical", world.case, request.person)


def test_surrender_before_the_request_is_a_400(world):
    request = f.ExtraditionRequestFactory(case=world.case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            f"/api/v1/extradition-requests/{request.pk}/surrender/",
            {"surrendered_on": "2010-01-01"},
        )
    assert response.status_code == 400
    assert "precede the request" in response.json()["surrendered_on"][0]


def test_extradition_request_filters(world):
    client = client_for(world.caseworker)
    pending = f.ExtraditionRequestFactory(case=world.case)
    refused = f.ExtraditionRequestFactory(
        case=world.case,
        requesting_state="TJ",
        status="refused",
        received_on=datetime.date(2006, 3, 1),
    )
    elsewhere = f.ExtraditionRequestFactory(case=world.unshared, person=pending.person)
    url = "/api/v1/extradition-requests/"
    assert _ids(client.get(f"{url}?case={world.case.pk}")) == {str(pending.pk), str(refused.pk)}
    assert _ids(client.get(f"{url}?person={pending.person.pk}")) == {
        str(pending.pk),
        str(elsewhere.pk),
    }
    assert _ids(client.get(f"{url}?status=refused")) == {str(refused.pk)}
    assert _ids(client.get(f"{url}?requesting_state=TJ")) == {str(refused.pk)}
    assert _ids(client.get(f"{url}?received_after=2010-01-01")) == {
        str(pending.pk),
        str(elsewhere.pk),
    }
    assert _ids(client.get(f"{url}?received_before=2010-01-01")) == {str(refused.pk)}


# --- extradition decisions ------------------------------------------------------------------


def test_a_decision_dated_before_the_decision_it_reviews_is_a_400(world):
    prosecutor = f.ExtraditionDecisionFactory(request=f.ExtraditionRequestFactory(case=world.case))
    with nothing_written():
        response = client_for(world.lawyer).post(
            "/api/v1/extradition-decisions/",
            {
                "request": str(prosecutor.request.pk),
                "stage": "first_instance",
                "decided_on": "2010-09-01",
                "outcome": "upheld",
            },
        )
    assert response.status_code == 400
    assert "before the prosecutor decision" in response.json()["decided_on"][0]


def test_a_decision_shows_its_case(world):
    decision = f.ExtraditionDecisionFactory(request=f.ExtraditionRequestFactory(case=world.case))
    response = client_for(world.viewer).get(f"/api/v1/extradition-decisions/{decision.pk}/")
    assert response.json()["case"] == str(world.case.pk)


def test_extradition_decision_filters(world):
    client = client_for(world.caseworker)
    request = f.ExtraditionRequestFactory(case=world.case)
    prosecutor = f.ExtraditionDecisionFactory(request=request)
    court = f.ExtraditionDecisionFactory(
        request=request,
        stage="first_instance",
        decided_on=datetime.date(2011, 3, 1),
        outcome="upheld",
    )
    elsewhere = f.ExtraditionDecisionFactory(
        request=f.ExtraditionRequestFactory(case=world.unshared)
    )
    url = "/api/v1/extradition-decisions/"
    both = {str(prosecutor.pk), str(court.pk)}
    assert _ids(client.get(f"{url}?request={request.pk}")) == both
    assert _ids(client.get(f"{url}?case={world.case.pk}")) == both
    assert _ids(client.get(f"{url}?case={world.unshared.pk}")) == {str(elsewhere.pk)}
    assert _ids(client.get(f"{url}?stage=first_instance")) == {str(court.pk)}
    assert _ids(client.get(f"{url}?outcome=upheld")) == {str(court.pk)}
    assert _ids(client.get(f"{url}?decided_after=2011-01-01")) == {str(court.pk)}
    assert _ids(client.get(f"{url}?decided_before=2011-01-01")) == {
        str(prosecutor.pk),
        str(elsewhere.pk),
    }


# --- notes ----------------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "documents"


def test_a_note_is_filed_with_documents_of_its_case(world, media_root):
    document = f.DocumentFactory(case=world.case)
    response = client_for(world.lawyer).post(
        "/api/v1/notes/",
        {
            "case": str(world.case.pk),
            "occurred_on": "2010-07-01",
            "body": "Hearing adjourned.",
            "documents": [str(document.pk)],
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["author"] == world.lawyer.pk
    assert response.json()["documents"] == [str(document.pk)]
    note = Note.objects.get(pk=response.json()["id"])
    replaced = client_for(world.lawyer).patch(f"/api/v1/notes/{note.pk}/", {"documents": []})
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["documents"] == []
    assert not note.documents.exists()


def test_a_note_takes_no_document_of_another_case(world, media_root):
    client = client_for(world.caseworker)
    visible = f.DocumentFactory(case=world.unshared)
    hidden = f.DocumentFactory(case=world.other_case)
    for document, message in [(visible, "same case"), (hidden, "does not exist")]:
        with nothing_written():
            response = client.post(
                "/api/v1/notes/",
                {
                    "case": str(world.case.pk),
                    "occurred_on": "2010-07-01",
                    "body": "Hearing adjourned.",
                    "documents": [str(document.pk)],
                },
            )
        assert response.status_code == 400
        assert message in response.json()["documents"][0]


def test_a_lawyer_corrects_only_their_own_notes(world):
    note = f.NoteFactory(case=world.case, author=world.caseworker)
    with nothing_written():
        response = client_for(world.lawyer).patch(f"/api/v1/notes/{note.pk}/", {"body": "Mine?"})
    assert response.status_code == 403


def test_note_filters(world):
    client = client_for(world.caseworker)
    july = f.NoteFactory(case=world.case)
    august = f.NoteFactory(case=world.unshared, occurred_on=datetime.date(2010, 8, 1))
    assert _ids(client.get(f"/api/v1/notes/?case={world.case.pk}")) == {str(july.pk)}
    assert _ids(client.get("/api/v1/notes/?occurred_after=2010-07-15")) == {str(august.pk)}
    assert _ids(client.get("/api/v1/notes/?occurred_before=2010-07-15")) == {str(july.pk)}


def test_deleted_request_leaves_its_trace_on_the_timeline(world):
    request = f.ExtraditionRequestFactory(case=world.case)
    response = client_for(world.admin).delete(f"/api/v1/extradition-requests/{request.pk}/")
    assert response.status_code == 204
    assert not ExtraditionRequest.objects.filter(pk=request.pk).exists()
    assert world.case.events.get(kind="extraditionrequest.deleted").actor == world.admin
