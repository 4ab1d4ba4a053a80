"""GET /api/v1/cases/{id}/timeline/: every forum's dated events of one case, oldest first."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases.choices import DeadlineStatus
from tests import factories as f
from tests.api.matrix import SEES, USERS, client_for
from tests.helpers import complaint_of, party

d = datetime.date


def url(case) -> str:
    return f"/api/v1/cases/{case.pk}/timeline/"


def story(case) -> dict:
    """One record of every forum in ``case``, dated like DESIGN §1; returns them by name."""
    person = party(case)
    detention = f.DetentionFactory(
        case=case,
        person=person,
        started_on=d(2010, 6, 10),
        ended_on=d(2011, 6, 9),
        end_reason="extradited",
    )
    request = f.ExtraditionRequestFactory(
        case=case,
        person=person,
        received_on=d(2010, 6, 20),
        status="surrendered",
        surrendered_on=d(2011, 6, 9),
    )
    decision = f.ExtraditionDecisionFactory(
        request=request, decided_on=d(2010, 9, 9), served_on=d(2010, 9, 13)
    )
    status = f.StatusDecisionFactory(
        case=case,
        person=person,
        authority="national",
        outcome="rejected",
        applied_on=d(2010, 6, 25),
        decided_on=d(2010, 8, 15),
        notified_on=d(2010, 8, 20),
    )
    pending = f.StatusDecisionFactory(
        case=case,
        person=person,
        authority="court",
        outcome="pending",
        applied_on=d(2010, 8, 30),
        decided_on=None,
    )
    complaint = complaint_of(
        case,
        submitted_on=d(2010, 12, 1),
        registered_on=d(2010, 12, 3),
        transmitted_on=d(2010, 12, 3),
        state_reply_on=d(2011, 6, 3),
        comments_due_on=d(2011, 8, 3),
    )
    measure = f.InterimMeasureFactory(
        complaint=complaint,
        requested_on=d(2010, 12, 1),
        granted_on=d(2010, 12, 3),
        reaffirmed_on=d(2011, 5, 20),
        lifted_on=d(2012, 6, 1),
    )
    committee = f.CommitteeDecisionFactory(
        complaint=complaint,
        symbol="CAT/C/48/D/444/2010",
        adopted_on=d(2012, 6, 1),
        transmitted_on=d(2012, 6, 5),
        follow_up_reply_on=d(2012, 9, 3),
    )
    note = f.NoteFactory(case=case, occurred_on=d(2011, 6, 10), body="Gone.\nThe wife called.")
    deadline = f.ManualDeadlineFactory(
        case=case,
        title="Follow-up reply due",
        due_at=datetime.datetime(2012, 9, 3, 18, 59, tzinfo=datetime.UTC),
        timezone="Asia/Almaty",
    )
    f.ManualDeadlineFactory(case=case, title="Cancelled", status=DeadlineStatus.CANCELLED)
    return {
        "person": person,
        "detention": detention,
        "request": request,
        "decision": decision,
        "status": status,
        "pending": pending,
        "complaint": complaint,
        "measure": measure,
        "committee": committee,
        "note": note,
        "deadline": deadline,
    }


def test_timeline_merges_every_forum_in_date_order(world):
    records = story(world.case)
    story(world.unshared)  # another case's events never leak into this one
    response = client_for(world.caseworker).get(url(world.case))
    assert response.status_code == 200, response.json()
    body = response.json()
    rows = [(e["date"], e["forum"], e["kind"], e["record_id"]) for e in body["results"]]
    r = {name: str(record.pk) for name, record in records.items()}
    assert rows == [
        ("2010-06-10", "detention", "started", r["detention"]),
        ("2010-06-20", "extradition", "request_received", r["request"]),
        ("2010-06-25", "refugee_status", "applied", r["status"]),
        ("2010-08-15", "refugee_status", "decided", r["status"]),
        ("2010-08-20", "refugee_status", "notified", r["status"]),
        ("2010-08-30", "refugee_status", "applied", r["pending"]),
        ("2010-09-09", "extradition", "decision", r["decision"]),
        ("2010-09-13", "extradition", "decision_served", r["decision"]),
        ("2010-12-01", "complaint", "submitted", r["complaint"]),
        ("2010-12-01", "interim_measure", "requested", r["measure"]),
        ("2010-12-03", "complaint", "registered", r["complaint"]),
        ("2010-12-03", "complaint", "transmitted", r["complaint"]),
        ("2010-12-03", "interim_measure", "granted", r["measure"]),
        ("2011-05-20", "interim_measure", "reaffirmed", r["measure"]),
        ("2011-06-03", "complaint", "state_reply", r["complaint"]),
        ("2011-06-09", "detention", "ended", r["detention"]),
        ("2011-06-09", "extradition", "surrendered", r["request"]),
        ("2011-06-10", "note", "note", r["note"]),
        ("2011-08-03", "complaint", "comments_due", r["complaint"]),
        ("2012-06-01", "interim_measure", "lifted", r["measure"]),
        ("2012-06-01", "committee", "adopted", r["committee"]),
        ("2012-06-05", "committee", "transmitted", r["committee"]),
        ("2012-09-03", "committee", "follow_up_reply", r["committee"]),
        # 18:59 UTC on 3 September is 00:59 on the 4th in Almaty, the deadline's own zone.
        ("2012-09-04", "deadline", "due", r["deadline"]),
    ]
    assert body["case"] == str(world.case.pk)
    assert body["count"] == len(rows)
    assert response["ETag"]


def test_timeline_entries_say_who_and_what(world):
    records = story(world.case)
    results = client_for(world.caseworker).get(url(world.case)).json()["results"]
    by_kind = {(e["forum"], e["kind"]): e for e in results}
    person = records["person"]
    detained = by_kind["detention", "started"]
    assert detained["record_type"] == "cases.detention"
    assert detained["person_id"] == str(person.pk)
    assert detained["title"] == f"{person} detained: Temporary detention facility"
    served = by_kind["extradition", "decision_served"]
    assert served["record_type"] == "cases.extraditiondecision"
    assert served["person_id"] == str(person.pk)
    assert by_kind["extradition", "surrendered"]["title"] == f"{person} surrendered to Uzbekistan"
    assert by_kind["refugee_status", "decided"]["title"] == (
        f"national authority: rejected ({person})"
    )
    submitted = by_kind["complaint", "submitted"]
    assert (submitted["record_type"], submitted["person_id"]) == ("rulings.complaint", None)
    assert submitted["title"] == "Complaint submitted to CAT"
    assert by_kind["committee", "transmitted"]["title"] == (
        "CAT/C/48/D/444/2010 transmitted to the State"
    )
    assert by_kind["note", "note"]["title"] == "Gone."
    assert by_kind["deadline", "due"]["title"] == "Follow-up reply due (open)"


def test_timeline_queries_do_not_grow_with_records(world):
    client = client_for(world.caseworker)
    story(world.case)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(world.case)).status_code == 200
    for _ in range(3):
        story(world.case)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(world.case))
    assert response.json()["count"] == 4 * 24
    assert len(many) == len(one), "\n".join(q["sql"] for q in many.captured_queries)


def test_empty_case_has_an_empty_timeline(world):
    response = client_for(world.viewer).get(url(world.case))
    assert response.status_code == 200
    assert response.json() == {"case": str(world.case.pk), "count": 0, "results": []}


class TestTimelineAccess:
    """The timeline's access matrix. It is a read of one case, not a resource with writes, so
    it is not an EndpointMatrix."""

    basename = "case-timeline"
    matrix_exempt_reason = "read-only view of one case; its access matrix is this class"

    def test_anonymous_is_refused(self, world):
        assert APIClient().get(url(world.case)).status_code == 401

    @pytest.mark.parametrize("who", USERS)
    def test_read(self, world, who):
        story(world.case)
        response = client_for(getattr(world, who)).get(url(world.case))
        if who in SEES:
            assert response.status_code == 200
            assert response.json()["count"] == 24
        else:
            assert response.status_code == 404

    def test_restricted_case_is_404_for_the_caseworker_it_is_not_shared_with(self, world):
        story(world.restricted)
        assert client_for(world.caseworker).get(url(world.restricted)).status_code == 404
        assert client_for(world.admin).get(url(world.restricted)).status_code == 200

    def test_unknown_case_is_404(self, world):
        response = client_for(world.admin).get(
            "/api/v1/cases/00000000-0000-0000-0000-000000000000/timeline/"
        )
        assert response.status_code == 404

    @pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
    def test_writes_are_not_allowed(self, world, method):
        response = getattr(client_for(world.admin), method)(url(world.case), {})
        assert response.status_code == 405
