"""Forms for extradition proceedings: the request, its decisions, and the surrender, which
under an interim measure raises the breach alert (issue #5). Each writes through its service
or, refused, writes nothing and says why next to the field."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Alert, ExtraditionRequest
from tests import factories as f
from tests.helpers import complaint_of, nothing_written, party
from tests.pages.form_helpers import (
    NOTHING_SAVED,
    FormMatrix,
    Timeline,
    client_for,
    field_errors,
    field_value,
    htmx,
)
from tests.pages.matrix import FILE_FORM


def _request(world, **fields) -> ExtraditionRequest:
    return f.ExtraditionRequestFactory(case=world.case, **fields)


# --- surrender ----------------------------------------------------------------------------


class TestSurrenderForm(FormMatrix):
    url_name = "cases:extradition_request_surrender"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_request(world).pk])


def _surrender_url(request) -> str:
    return reverse("cases:extradition_request_surrender", args=[request.pk])


def test_the_surrender_form_names_the_person_and_warns_of_the_breach(world):
    request = _request(world)
    response = client_for(world.caseworker).get(_surrender_url(request))
    content = response.content.decode()
    assert f"Record the surrender of {request.person}" in content
    assert "interim measure" in content and "breach alert" in content
    assert world.case.get_absolute_url() in content  # the breadcrumb and Cancel


def test_recording_a_surrender_writes_through_the_service(world):
    request = _request(world)
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        _surrender_url(request), {"surrendered_on": "2011-01-15"}
    )
    assert response.status_code == 302
    assert response["Location"] == request.get_absolute_url()
    request.refresh_from_db()
    assert (request.status, request.surrendered_on) == ("surrendered", date(2011, 1, 15))
    [event] = timeline.new()
    assert (event.kind, event.actor) == ("extraditionrequest.surrendered", world.caseworker)


def test_a_surrender_of_a_protected_person_raises_the_breach_alert(world):
    complaint = complaint_of(world.case)
    complainant = complaint.complainants.get()
    f.InterimMeasureFactory(complaint=complaint, granted_on=date(2010, 12, 3))
    request = _request(world, person=complainant)
    response = client_for(world.caseworker).post(
        _surrender_url(request), {"surrendered_on": "2011-01-15"}
    )
    assert response.status_code == 302
    [alert] = Alert.objects.filter(kind="interim_measure_breach")
    assert (alert.level, alert.case, alert.person) == ("critical", world.case, complainant)
    assert alert.subject == request


def test_a_surrender_before_the_request_is_refused_next_to_its_date(world):
    request = _request(world)  # received 2010-06-20
    with nothing_written():
        response = client_for(world.caseworker).post(
            _surrender_url(request), {"surrendered_on": "2010-01-01"}
        )
    assert response.status_code == 400
    assert "cannot precede the request" in field_errors(response, "surrendered_on")
    assert NOTHING_SAVED in response.content.decode()


def test_a_surrender_without_a_date_is_refused(world):
    url = _surrender_url(_request(world))
    with nothing_written():
        response = client_for(world.caseworker).post(url, {})
    assert response.status_code == 400
    assert "required" in field_errors(response, "surrendered_on")


def test_with_htmx_an_invalid_surrender_returns_the_form_alone(world):
    url = _surrender_url(_request(world))
    with nothing_written():
        response = htmx(world.caseworker).post(url, {})
    assert response.status_code == 400
    content = response.content.decode()
    assert content.lstrip().startswith("<form") and "<html" not in content


def test_with_htmx_a_valid_surrender_sends_the_browser_to_the_case(world):
    request = _request(world)
    response = htmx(world.caseworker).post(
        _surrender_url(request), {"surrendered_on": "2011-01-15"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == request.get_absolute_url()


# --- extradition requests -----------------------------------------------------------------


class TestExtraditionRequestCreate(FormMatrix):
    url_name = "cases:extradition_request_create"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[world.case.pk])


class TestExtraditionRequestUpdate(FormMatrix):
    url_name = "cases:extradition_request_update"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_request(world).pk])


REQUEST = {
    "requesting_state": "UZ",
    "requested_state": "KZ",
    "received_on": "2010-06-20",
    "treaty": "minsk_1993",
    "status": "pending",
    "charges": "Art. 159 Criminal Code of Uzbekistan",
}


def test_recording_an_extradition_request_writes_through_the_service(world):
    person = party(world.case)
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        reverse("cases:extradition_request_create", args=[world.case.pk]),
        {**REQUEST, "person": person.pk},
    )
    assert response.status_code == 302
    request = ExtraditionRequest.objects.get(person=person)
    assert response["Location"] == request.get_absolute_url()
    assert (request.requesting_state.code, request.received_on) == ("UZ", date(2010, 6, 20))
    assert ("extraditionrequest.created", world.caseworker) in [
        (e.kind, e.actor) for e in timeline.new()
    ]


def test_a_request_between_one_state_and_itself_is_refused(world):
    person = party(world.case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:extradition_request_create", args=[world.case.pk]),
            {**REQUEST, "requested_state": "UZ", "person": person.pk},
        )
    assert response.status_code == 400
    assert "must differ" in field_errors(response, "requested_state")


def test_the_request_form_does_not_offer_surrender_as_a_status(world):
    response = client_for(world.caseworker).get(
        reverse("cases:extradition_request_create", args=[world.case.pk])
    )
    assert 'value="surrendered"' not in response.content.decode()


def test_the_request_edit_form_shows_and_changes_its_values(world):
    request = _request(world, reference="UZ-GP-17/2010")
    url = reverse("cases:extradition_request_update", args=[request.pk])
    client = client_for(world.caseworker)
    response = client.get(url)
    assert field_value(response, "reference") == "UZ-GP-17/2010"
    assert field_value(response, "requesting_state") == "UZ"
    timeline = Timeline()
    response = client.post(
        url, {**REQUEST, "reference": "UZ-GP-17/2010", "status": "granted", "charges": ""}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "granted"
    [event] = timeline.new()
    assert event.data["after"] == {"status": "granted"}


# --- extradition decisions ----------------------------------------------------------------


class TestExtraditionDecisionCreate(FormMatrix):
    url_name = "cases:extradition_decision_create"
    status = FILE_FORM

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_request(world).pk])


class TestExtraditionDecisionUpdate(FormMatrix):
    url_name = "cases:extradition_decision_update"
    status = FILE_FORM

    def url(self, world) -> str:
        decision = f.ExtraditionDecisionFactory(request=_request(world))
        return reverse(self.url_name, args=[decision.pk])


DECISION = {"stage": "prosecutor", "decided_on": "2010-09-09", "outcome": "granted"}


@pytest.mark.parametrize("who", ["caseworker", "lawyer"])
def test_recording_a_decision_writes_through_the_service(world, who):
    request = _request(world)
    user = getattr(world, who)
    timeline = Timeline()
    response = client_for(user).post(
        reverse("cases:extradition_decision_create", args=[request.pk]),
        {**DECISION, "served_on": "2010-09-12", "body": "Prosecutor General"},
    )
    assert response.status_code == 302
    decision = request.decisions.get()
    assert response["Location"] == world.case.record_url(decision)
    assert (decision.served_on, decision.body) == (date(2010, 9, 12), "Prosecutor General")
    assert ("extraditiondecision.created", user) in [(e.kind, e.actor) for e in timeline.new()]


def test_a_decision_before_the_request_is_refused_next_to_its_date(world):
    request = _request(world)  # received 2010-06-20
    with nothing_written():
        response = client_for(world.lawyer).post(
            reverse("cases:extradition_decision_create", args=[request.pk]),
            {**DECISION, "decided_on": "2010-01-05"},
        )
    assert response.status_code == 400
    assert "cannot precede the request" in field_errors(response, "decided_on")


def test_the_decision_edit_form_shows_and_changes_its_values(world):
    decision = f.ExtraditionDecisionFactory(request=_request(world), body="City court")
    url = reverse("cases:extradition_decision_update", args=[decision.pk])
    client = client_for(world.lawyer)
    assert field_value(client.get(url), "body") == "City court"
    response = client.post(url, {**DECISION, "body": "Almaty city court"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.body == "Almaty city court"


def test_a_decision_served_before_it_was_made_is_refused(world):
    decision = f.ExtraditionDecisionFactory(request=_request(world))
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:extradition_decision_update", args=[decision.pk]),
            {**DECISION, "served_on": "2010-09-01"},
        )
    assert response.status_code == 400
    assert "served before it was made" in field_errors(response, "served_on")


def test_a_decision_in_a_case_of_another_organisation_is_not_found(world):
    request = f.ExtraditionRequestFactory(case=world.other_case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:extradition_decision_create", args=[request.pk]), DECISION
        )
    assert response.status_code == 404


def test_the_russian_interface_renders_the_forms(world):
    client = client_for(world.caseworker)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    response = client.get(reverse("cases:detention_create", args=[world.case.pk]))
    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()


def test_a_surrendered_requests_status_stays_as_it_is(world):
    request = _request(world, status="surrendered", surrendered_on=date(2011, 1, 15))
    url = reverse("cases:extradition_request_update", args=[request.pk])
    client = client_for(world.caseworker)
    assert field_value(client.get(url), "status") == "surrendered"
    response = client.post(url, {**REQUEST, "status": "pending", "reference": "UZ-1"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reference) == ("surrendered", "UZ-1")
