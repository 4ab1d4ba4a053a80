"""/api/v1/status-decisions, complaints, interim-measures and committee-decisions.

Recording what a body decided is FILE (outside lawyers may, on the cases shared with them);
submitting or reshaping a complaint is EDIT (rulings/services.py)."""

import datetime

import pytest

from rulings.models import Complaint, InterimMeasure, RefugeeStatusDecision
from tests import factories as f
from tests.api.matrix import SEES, USERS, EndpointMatrix, client_for
from tests.helpers import FILE, complaint_of, nothing_written, party


class TestStatusDecisions(EndpointMatrix):
    basename = "status-decision"
    writes = FILE

    def record(self, world):
        return f.StatusDecisionFactory(case=world.case, person=party(world.case))

    def create_data(self, world):
        return {
            "case": str(world.case.pk),
            "person": str(party(world.case).pk),
            "authority": "national",
            "body": "Migration Police, Almaty",
            "outcome": "rejected",
            "decided_on": "2010-08-15",
            "notified_on": "2010-08-20",
        }

    def update_data(self, world, record):
        return {"grounds": f"{record.grounds} Not credible.".strip()}


class TestComplaints(EndpointMatrix):
    basename = "complaint"

    def record(self, world):
        return complaint_of(world.case)

    def create_data(self, world):
        return {
            "case": str(world.case.pk),
            "body": "CAT",
            "complainants": [str(party(world.case).pk), str(party(world.case).pk)],
            "state_party": "KZ",
            "number": "444/2010",
            "submitted_on": "2010-12-01",
        }

    def update_data(self, world, record):
        return {"counsel": f"{record.counsel} Avocats sans frontières".strip()}


class TestInterimMeasures(EndpointMatrix):
    basename = "interim-measure"
    writes = FILE

    def record(self, world):
        return f.InterimMeasureFactory(complaint=complaint_of(world.case))

    def create_data(self, world):
        return {
            "complaint": str(complaint_of(world.case).pk),
            "requested_on": "2010-12-01",
            "granted_on": "2010-12-03",
        }

    def update_data(self, world, record):
        return {"scope": f"{record.scope} Nor transfer them."}

    verbs = {"lift": FILE}

    def verb_call(self, world, verb):
        return self.record(world), {"lifted_on": "2011-06-01"}


class TestCommitteeDecisions(EndpointMatrix):
    basename = "committee-decision"
    writes = FILE

    def record(self, world):
        return f.CommitteeDecisionFactory(complaint=complaint_of(world.case))

    def create_data(self, world):
        return {
            "complaint": str(complaint_of(world.case).pk),
            "kind": "merits",
            "symbol": "CAT/C/48/D/444/2010",
            "adopted_on": "2012-06-01",
            "outcome": "violation",
            "articles": "3, 22",
        }

    def update_data(self, world, record):
        return {"remedies": f"{record.remedies} Seek their return.".strip()}


# --- 400s that name the field ------------------------------------------------------------


def test_decision_dated_before_the_decision_it_appeals_is_a_400_naming_the_field(world):
    appealed = f.StatusDecisionFactory(
        case=world.case,
        person=party(world.case),
        authority="national",
        outcome="rejected",
        decided_on=datetime.date(2010, 8, 15),
    )
    data = {
        "case": str(world.case.pk),
        "person": str(appealed.person.pk),
        "authority": "court",
        "outcome": "rejected",
        "decided_on": "2010-08-01",
        "appeal_of": str(appealed.pk),
    }
    with nothing_written():
        response = client_for(world.caseworker).post("/api/v1/status-decisions/", data)
    assert response.status_code == 400
    assert "2010-08-15" in response.json()["decided_on"][0]


def test_complainant_who_is_not_a_party_is_a_400_naming_the_field(world):
    outsider = f.PersonFactory(organisation=world.org)
    data = {
        "case": str(world.case.pk),
        "body": "CAT",
        "complainants": [str(party(world.case).pk), str(outsider.pk)],
        "state_party": "KZ",
        "submitted_on": "2010-12-01",
    }
    with nothing_written():
        response = client_for(world.caseworker).post("/api/v1/complaints/", data)
    assert response.status_code == 400
    assert str(outsider) in response.json()["complainants"][0]


def test_complainant_of_another_organisation_does_not_exist(world):
    foreigner = f.CasePartyFactory(case=world.other_case).person
    data = {
        "case": str(world.case.pk),
        "body": "CAT",
        "complainants": [str(foreigner.pk)],
        "state_party": "KZ",
        "submitted_on": "2010-12-01",
    }
    with nothing_written():
        response = client_for(world.caseworker).post("/api/v1/complaints/", data)
    assert response.status_code == 400
    assert "does not exist" in response.json()["complainants"][0]


@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        ("/api/v1/complaints/", "body", "ECHR"),
        ("/api/v1/status-decisions/", "authority", "embassy"),
        ("/api/v1/committee-decisions/", "outcome", "maybe"),
    ],
)
def test_unknown_choice_is_a_400_naming_the_field(world, url, field, value):
    complaint = complaint_of(world.case)
    data = {
        "/api/v1/complaints/": {
            "case": str(world.case.pk),
            "body": "CAT",
            "complainants": [str(party(world.case).pk)],
            "state_party": "KZ",
            "submitted_on": "2010-12-01",
        },
        "/api/v1/status-decisions/": {
            "case": str(world.case.pk),
            "person": str(party(world.case).pk),
            "authority": "national",
            "outcome": "rejected",
            "decided_on": "2010-08-15",
        },
        "/api/v1/committee-decisions/": {
            "complaint": str(complaint.pk),
            "kind": "merits",
            "adopted_on": "2012-06-01",
            "outcome": "violation",
        },
    }[url]
    with nothing_written():
        response = client_for(world.caseworker).post(url, {**data, field: value})
    assert response.status_code == 400
    assert f'"{value}" is not a valid choice.' in response.json()[field][0]


def test_unknown_choice_in_a_filter_is_a_400_naming_it(world):
    response = client_for(world.caseworker).get("/api/v1/status-decisions/?authority=embassy")
    assert response.status_code == 400
    assert "authority" in response.json()


def test_moving_a_measure_to_another_complaint_is_a_400_naming_the_field(world):
    measure = f.InterimMeasureFactory(complaint=complaint_of(world.case))
    other = complaint_of(world.case)
    with nothing_written():
        response = client_for(world.caseworker).patch(
            f"/api/v1/interim-measures/{measure.pk}/", {"complaint": str(other.pk)}
        )
    assert response.status_code == 400
    assert "complaint" in response.json()


def test_changing_complainants_replaces_them(world):
    complaint = complaint_of(world.case)
    newcomer = party(world.case)
    response = client_for(world.caseworker).patch(
        f"/api/v1/complaints/{complaint.pk}/", {"complainants": [str(newcomer.pk)]}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["complainants"] == [str(newcomer.pk)]
    assert list(Complaint.objects.get(pk=complaint.pk).complainants.all()) == [newcomer]


# --- the lift verb ------------------------------------------------------------------------


@pytest.mark.parametrize("who", USERS)
def test_lift(world, who):
    measure = f.InterimMeasureFactory(complaint=complaint_of(world.case))
    client = client_for(getattr(world, who))
    url = f"/api/v1/interim-measures/{measure.pk}/lift/"
    if FILE[who]:
        response = client.post(url, {"lifted_on": "2011-06-01"})
        assert response.status_code == 200, response.json()
        assert response.json()["lifted_on"] == "2011-06-01"
        assert response["ETag"]
    else:
        with nothing_written():
            response = client.post(url, {"lifted_on": "2011-06-01"})
        assert response.status_code == (403 if who in SEES else 404)


def test_lift_twice_or_before_grant_is_a_400_naming_the_field(world):
    measure = f.InterimMeasureFactory(complaint=complaint_of(world.case))
    client = client_for(world.caseworker)
    url = f"/api/v1/interim-measures/{measure.pk}/lift/"
    with nothing_written():
        early = client.post(url, {"lifted_on": "2010-11-01"})
    assert early.status_code == 400
    assert "lifted_on" in early.json()
    assert client.post(url, {"lifted_on": "2011-06-01"}).status_code == 200
    with nothing_written():
        again = client.post(url, {"lifted_on": "2011-07-01"})
    assert again.status_code == 400
    assert "already lifted" in again.json()["lifted_on"][0]


def test_lift_with_stale_if_match_is_refused(world):
    measure = f.InterimMeasureFactory(complaint=complaint_of(world.case))
    client = client_for(world.caseworker)
    url = f"/api/v1/interim-measures/{measure.pk}/"
    etag = client.get(url)["ETag"]
    assert client.patch(url, {"reaffirmed_on": "2011-05-20"}).status_code == 200
    with nothing_written():
        response = client.post(f"{url}lift/", {"lifted_on": "2011-06-01"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert InterimMeasure.objects.get(pk=measure.pk).lifted_on is None


# --- filters ------------------------------------------------------------------------------


def ids(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_status_decision_filters(world):
    person = party(world.case)
    unhcr = f.StatusDecisionFactory(case=world.case, person=person)
    national = f.StatusDecisionFactory(
        case=world.case,
        person=person,
        authority="national",
        outcome="rejected",
        decided_on=datetime.date(2010, 8, 15),
    )
    elsewhere = f.StatusDecisionFactory(case=world.unshared, person=party(world.unshared))
    client = client_for(world.caseworker)
    url = "/api/v1/status-decisions/"
    assert ids(client.get(url, {"case": world.case.pk})) == {str(unhcr.pk), str(national.pk)}
    assert ids(client.get(url, {"person": elsewhere.person.pk})) == {str(elsewhere.pk)}
    assert ids(client.get(url, {"authority": "national"})) == {str(national.pk)}
    assert ids(client.get(url, {"outcome": "recognised", "case": world.case.pk})) == {str(unhcr.pk)}
    assert ids(client.get(url, {"decided_after": "2010-01-01"})) == {str(national.pk)}
    assert ids(client.get(url, {"decided_before": "2010-01-01"})) == {
        str(unhcr.pk),
        str(elsewhere.pk),
    }


def test_complaint_filters(world):
    cat = complaint_of(world.case)
    hrc = complaint_of(world.case, body="HRC", status="registered", state_party="RU")
    client = client_for(world.caseworker)
    url = "/api/v1/complaints/"
    complainant = cat.complainants.get()
    assert ids(client.get(url, {"case": world.case.pk})) == {str(cat.pk), str(hrc.pk)}
    assert ids(client.get(url, {"body": "HRC"})) == {str(hrc.pk)}
    assert ids(client.get(url, {"status": "registered"})) == {str(hrc.pk)}
    assert ids(client.get(url, {"state_party": "KZ"})) == {str(cat.pk)}
    assert ids(client.get(url, {"complainant": complainant.pk})) == {str(cat.pk)}


def test_interim_measure_filters(world):
    lifted = f.InterimMeasureFactory(
        complaint=complaint_of(world.case), lifted_on=datetime.date(2011, 6, 1)
    )
    standing = f.InterimMeasureFactory(complaint=complaint_of(world.unshared))
    client = client_for(world.caseworker)
    url = "/api/v1/interim-measures/"
    assert ids(client.get(url, {"case": world.case.pk})) == {str(lifted.pk)}
    assert ids(client.get(url, {"complaint": standing.complaint.pk})) == {str(standing.pk)}
    assert ids(client.get(url, {"active_on": "2011-01-01"})) == {str(lifted.pk), str(standing.pk)}
    assert ids(client.get(url, {"active_on": "2011-06-01"})) == {str(standing.pk)}
    assert ids(client.get(url, {"active_on": "2010-12-02"})) == set()


def test_committee_decision_filters(world):
    merits = f.CommitteeDecisionFactory(complaint=complaint_of(world.case))
    admissibility = f.CommitteeDecisionFactory(
        complaint=complaint_of(world.unshared), kind="admissibility", outcome="inadmissible"
    )
    client = client_for(world.caseworker)
    url = "/api/v1/committee-decisions/"
    assert ids(client.get(url, {"case": world.case.pk})) == {str(merits.pk)}
    assert ids(client.get(url, {"complaint": admissibility.complaint.pk})) == {
        str(admissibility.pk)
    }
    assert ids(client.get(url, {"kind": "merits"})) == {str(merits.pk)}
    assert ids(client.get(url, {"outcome": "inadmissible"})) == {str(admissibility.pk)}


def test_filter_by_another_organisations_case_is_empty_like_an_unknown_one(world):
    complaint_of(world.other_case)
    client = client_for(world.caseworker)
    for case_id in (world.other_case.pk, "00000000-0000-0000-0000-000000000000"):
        assert ids(client.get("/api/v1/complaints/", {"case": case_id})) == set()


def test_lawyer_records_a_decision_only_on_the_shared_case(world):
    client = client_for(world.lawyer)
    data = {
        "authority": "unhcr_mandate",
        "outcome": "recognised",
        "decided_on": "2009-11-01",
    }
    shared = client.post(
        "/api/v1/status-decisions/",
        {**data, "case": str(world.case.pk), "person": str(party(world.case).pk)},
    )
    assert shared.status_code == 201, shared.json()
    outsider = party(world.unshared)
    with nothing_written():
        unshared = client.post(
            "/api/v1/status-decisions/",
            {**data, "case": str(world.unshared.pk), "person": str(outsider.pk)},
        )
    assert unshared.status_code == 400
    assert RefugeeStatusDecision.objects.filter(case=world.unshared).count() == 0
