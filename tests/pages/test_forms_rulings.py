"""Forms for rulings: refugee-status decisions, complaints, interim measures and committee
decisions (issue #5). Recording what a body decided is open to the outside lawyer; submitting
or reshaping a complaint is not."""

from datetime import date

import pytest
from django.urls import reverse

from rulings.forms import (
    CommitteeDecisionForm,
    ComplaintForm,
    InterimMeasureForm,
    StatusDecisionUpdateForm,
)
from rulings.models import Complaint, RefugeeStatusDecision
from rulings.services import (
    COMMITTEE_DECISION_FIELDS,
    COMPLAINT_FIELDS,
    MEASURE_FIELDS,
    STATUS_DECISION_FIELDS,
)
from tests import factories as f
from tests.helpers import complaint_of, nothing_written, party
from tests.pages.form_helpers import (
    FormMatrix,
    Timeline,
    client_for,
    field_errors,
    field_value,
)
from tests.pages.matrix import FILE_FORM


def _events(timeline) -> list[tuple[str, object]]:
    return [(e.kind, e.actor) for e in timeline.new()]


# --- refugee status decisions -------------------------------------------------------------


class TestStatusDecisionCreate(FormMatrix):
    url_name = "rulings:status_decision_create"
    status = FILE_FORM

    def url(self, world) -> str:
        return reverse(self.url_name, args=[world.case.pk])

    def add_row(self, world) -> None:
        # Another party, and a decision on them that an appeal could rule on.
        f.StatusDecisionFactory(case=world.case)


class TestStatusDecisionUpdate(FormMatrix):
    url_name = "rulings:status_decision_update"
    status = FILE_FORM

    def url(self, world) -> str:
        return reverse(self.url_name, args=[f.StatusDecisionFactory(case=world.case).pk])


STATUS = {"authority": "national", "outcome": "rejected", "decided_on": "2010-08-01"}


@pytest.mark.parametrize("who", ["caseworker", "lawyer"])
def test_recording_a_status_decision_writes_through_the_service(world, who):
    person = party(world.case)
    user = getattr(world, who)
    timeline = Timeline()
    response = client_for(user).post(
        reverse("rulings:status_decision_create", args=[world.case.pk]),
        {**STATUS, "person": person.pk, "body": "Migration Police, Almaty"},
    )
    assert response.status_code == 302
    decision = RefugeeStatusDecision.objects.get(person=person)
    assert response["Location"] == decision.get_absolute_url()
    assert response["Location"].endswith(f"#refugeestatusdecision-{decision.pk}")
    assert (decision.outcome, decision.decided_on) == ("rejected", date(2010, 8, 1))
    assert ("refugeestatusdecision.created", user) in _events(timeline)


def test_the_forms_offer_every_field_the_services_accept():
    assert set(StatusDecisionUpdateForm._meta.fields) == set(STATUS_DECISION_FIELDS)
    assert set(ComplaintForm._meta.fields) == {"complainants", *COMPLAINT_FIELDS}
    assert set(InterimMeasureForm._meta.fields) == set(MEASURE_FIELDS)
    assert set(CommitteeDecisionForm._meta.fields) == set(COMMITTEE_DECISION_FIELDS)


def test_a_decision_without_its_date_is_refused_next_to_it(world):
    person = party(world.case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("rulings:status_decision_create", args=[world.case.pk]),
            {**STATUS, "decided_on": "", "person": person.pk},
        )
    assert response.status_code == 400
    assert "needs its date" in field_errors(response, "decided_on")


def test_an_appeal_is_chosen_among_the_cases_decisions_only(world):
    mine = f.StatusDecisionFactory(case=world.case)
    foreign = f.StatusDecisionFactory(case=world.other_case)
    content = (
        client_for(world.lawyer)
        .get(reverse("rulings:status_decision_create", args=[world.case.pk]))
        .content.decode()
    )
    assert str(mine.pk) in content and str(foreign.pk) not in content


def test_an_appeal_against_another_persons_decision_is_refused(world):
    other = f.StatusDecisionFactory(case=world.case)
    person = party(world.case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("rulings:status_decision_create", args=[world.case.pk]),
            {**STATUS, "person": person.pk, "authority": "court", "appeal_of": other.pk},
        )
    assert response.status_code == 400
    assert "same person" in field_errors(response, "appeal_of")


def test_the_status_decision_edit_form_shows_and_changes_its_values(world):
    decision = f.StatusDecisionFactory(case=world.case, body="UNHCR Almaty")
    url = reverse("rulings:status_decision_update", args=[decision.pk])
    client = client_for(world.lawyer)
    response = client.get(url)
    assert field_value(response, "body") == "UNHCR Almaty"
    assert field_value(response, "decided_on") == "2009-11-01"
    timeline = Timeline()
    response = client.post(
        url,
        {
            "authority": "unhcr_mandate",
            "outcome": "recognised",
            "decided_on": "2009-11-01",
            "notified_on": "2009-11-05",
            "body": "UNHCR Almaty",
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.notified_on == date(2009, 11, 5)
    [event] = timeline.new()
    assert (event.actor, event.data["after"]) == (world.lawyer, {"notified_on": "2009-11-05"})


# --- complaints ---------------------------------------------------------------------------


class TestComplaintCreate(FormMatrix):
    url_name = "rulings:complaint_create"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[world.case.pk])


class TestComplaintUpdate(FormMatrix):
    url_name = "rulings:complaint_update"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[complaint_of(world.case).pk])


COMPLAINT = {
    "body": "CAT",
    "state_party": "KZ",
    "number": "444/2010",
    "submitted_on": "2010-12-01",
    "status": "submitted",
}


def test_submitting_a_complaint_writes_through_the_service(world):
    first, second = party(world.case), party(world.case)
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        reverse("rulings:complaint_create", args=[world.case.pk]),
        {**COMPLAINT, "complainants": [first.pk, second.pk], "counsel": "R. Counsel"},
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get(case=world.case)
    assert response["Location"] == complaint.get_absolute_url()
    assert set(complaint.complainants.all()) == {first, second}
    assert ("complaint.created", world.caseworker) in _events(timeline)


def test_a_complaint_without_complainants_is_refused_next_to_them(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("rulings:complaint_create", args=[world.case.pk]), COMPLAINT
        )
    assert response.status_code == 400
    assert field_errors(response, "complainants")


def test_a_reply_before_transmission_is_refused(world):
    person = party(world.case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("rulings:complaint_create", args=[world.case.pk]),
            {**COMPLAINT, "complainants": [person.pk], "state_reply_on": "2011-06-01"},
        )
    assert response.status_code == 400
    assert "date of transmission" in field_errors(response, "transmitted_on")


def test_the_complaint_edit_form_shows_and_changes_its_values(world):
    complaint = complaint_of(world.case, number="444/2010")
    complainant = complaint.complainants.get()
    url = reverse("rulings:complaint_update", args=[complaint.pk])
    client = client_for(world.caseworker)
    response = client.get(url)
    assert field_value(response, "number") == "444/2010"
    assert f'value="{complainant.pk}"' in response.content.decode()
    timeline = Timeline()
    response = client.post(
        url,
        {
            **COMPLAINT,
            "complainants": [complainant.pk],
            "transmitted_on": "2010-12-20",
            "status": "registered",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.transmitted_on, complaint.status) == (date(2010, 12, 20), "registered")
    [event] = timeline.new()
    assert set(event.data["after"]) == {"transmitted_on", "status"}


# --- interim measures ---------------------------------------------------------------------


class TestInterimMeasureCreate(FormMatrix):
    url_name = "rulings:interim_measure_create"
    status = FILE_FORM

    def url(self, world) -> str:
        return reverse(self.url_name, args=[complaint_of(world.case).pk])


class TestInterimMeasureUpdate(FormMatrix):
    url_name = "rulings:interim_measure_update"
    status = FILE_FORM

    def url(self, world) -> str:
        measure = f.InterimMeasureFactory(complaint=complaint_of(world.case))
        return reverse(self.url_name, args=[measure.pk])


class TestInterimMeasureLift(FormMatrix):
    url_name = "rulings:interim_measure_lift"
    status = FILE_FORM

    def url(self, world) -> str:
        measure = f.InterimMeasureFactory(complaint=complaint_of(world.case))
        return reverse(self.url_name, args=[measure.pk])


def test_recording_an_interim_measure_writes_through_the_service(world):
    complaint = complaint_of(world.case)
    timeline = Timeline()
    response = client_for(world.lawyer).post(
        reverse("rulings:interim_measure_create", args=[complaint.pk]),
        {
            "requested_on": "2010-12-01",
            "granted_on": "2010-12-03",
            "scope": "Do not extradite the complainant to Uzbekistan.",
        },
    )
    assert response.status_code == 302
    measure = complaint.interim_measures.get()
    assert response["Location"] == measure.get_absolute_url()
    assert response["Location"].startswith(world.case.get_absolute_url())
    assert measure.granted_on == date(2010, 12, 3)
    assert ("interimmeasure.created", world.lawyer) in _events(timeline)


def test_a_measure_granted_before_it_was_requested_is_refused(world):
    complaint = complaint_of(world.case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("rulings:interim_measure_create", args=[complaint.pk]),
            {"requested_on": "2010-12-05", "granted_on": "2010-12-03", "scope": "x"},
        )
    assert response.status_code == 400
    assert "granted before it was requested" in field_errors(response, "granted_on")


def test_the_measure_edit_form_shows_and_changes_its_values(world):
    measure = f.InterimMeasureFactory(complaint=complaint_of(world.case))
    url = reverse("rulings:interim_measure_update", args=[measure.pk])
    client = client_for(world.caseworker)
    assert field_value(client.get(url), "granted_on") == "2010-12-03"
    response = client.post(
        url,
        {
            "requested_on": "2010-12-01",
            "granted_on": "2010-12-03",
            "reaffirmed_on": "2011-03-01",
            "scope": measure.scope,
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.reaffirmed_on == date(2011, 3, 1)


def test_lifting_a_measure_writes_through_the_service(world):
    measure = f.InterimMeasureFactory(complaint=complaint_of(world.case))
    timeline = Timeline()
    response = client_for(world.lawyer).post(
        reverse("rulings:interim_measure_lift", args=[measure.pk]), {"lifted_on": "2012-06-01"}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.lifted_on == date(2012, 6, 1)
    assert ("interimmeasure.lifted", world.lawyer) in _events(timeline)


def test_a_measure_lifted_before_its_grant_is_refused(world):
    measure = f.InterimMeasureFactory(complaint=complaint_of(world.case))
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("rulings:interim_measure_lift", args=[measure.pk]),
            {"lifted_on": "2010-01-01"},
        )
    assert response.status_code == 400
    assert "lifted, after grant" in field_errors(response, "lifted_on")


# --- committee decisions ------------------------------------------------------------------


class TestCommitteeDecisionCreate(FormMatrix):
    url_name = "rulings:committee_decision_create"
    status = FILE_FORM

    def url(self, world) -> str:
        return reverse(self.url_name, args=[complaint_of(world.case).pk])


class TestCommitteeDecisionUpdate(FormMatrix):
    url_name = "rulings:committee_decision_update"
    status = FILE_FORM

    def url(self, world) -> str:
        decision = f.CommitteeDecisionFactory(complaint=complaint_of(world.case))
        return reverse(self.url_name, args=[decision.pk])


COMMITTEE = {
    "kind": "merits",
    "adopted_on": "2012-06-01",
    "outcome": "violation",
    "symbol": "CAT/C/48/D/444/2010",
}


def test_recording_a_committee_decision_writes_through_the_service(world):
    complaint = complaint_of(world.case)
    timeline = Timeline()
    response = client_for(world.lawyer).post(
        reverse("rulings:committee_decision_create", args=[complaint.pk]),
        {**COMMITTEE, "articles": "3"},
    )
    assert response.status_code == 302
    decision = complaint.decisions.get()
    assert response["Location"] == decision.get_absolute_url()
    assert (decision.symbol, decision.articles) == ("CAT/C/48/D/444/2010", "3")
    assert ("committeedecision.created", world.lawyer) in _events(timeline)


def test_a_committee_decision_before_the_complaint_is_refused(world):
    complaint = complaint_of(world.case)  # submitted 2010-12-01
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("rulings:committee_decision_create", args=[complaint.pk]),
            {**COMMITTEE, "adopted_on": "2009-01-01"},
        )
    assert response.status_code == 400
    assert "precede the complaint" in field_errors(response, "adopted_on")


def test_the_committee_decision_edit_form_shows_and_changes_its_values(world):
    decision = f.CommitteeDecisionFactory(complaint=complaint_of(world.case), symbol="CAT/1")
    url = reverse("rulings:committee_decision_update", args=[decision.pk])
    client = client_for(world.caseworker)
    assert field_value(client.get(url), "symbol") == "CAT/1"
    response = client.post(url, {**COMMITTEE, "transmitted_on": "2012-06-15"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.symbol, decision.transmitted_on) == (
        "CAT/C/48/D/444/2010",
        date(2012, 6, 15),
    )


def test_a_complaint_of_another_organisation_is_not_found(world):
    complaint = complaint_of(world.other_case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("rulings:committee_decision_create", args=[complaint.pk]), COMMITTEE
        )
    assert response.status_code == 404
