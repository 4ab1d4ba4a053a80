"""Forms for detentions: who may open them, what they offer, and that each writes through its
service or, refused, writes nothing and says why next to the field (issue #5). Ending a
detention by removal while an interim measure protects the person is a breach."""

from datetime import date

from django.urls import reverse

from cases.models import Alert, Detention
from tests import factories as f
from tests.helpers import complaint_of, nothing_written, party
from tests.pages.form_helpers import (
    FormMatrix,
    Timeline,
    client_for,
    field_errors,
    field_value,
)


def _detention(world, **fields) -> Detention:
    return f.DetentionFactory(case=world.case, **fields)


# --- detentions ---------------------------------------------------------------------------


class TestDetentionCreate(FormMatrix):
    url_name = "cases:detention_create"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[world.case.pk])


class TestDetentionUpdate(FormMatrix):
    url_name = "cases:detention_update"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_detention(world).pk])


class TestDetentionEnd(FormMatrix):
    url_name = "cases:detention_end"

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_detention(world).pk])


DETENTION = {
    "basis": "provisional_arrest_extradition",
    "started_on": "2010-06-10",
    "facility": "Temporary detention facility No. 1",
    "location": "Almaty",
}


def test_the_detention_form_offers_only_the_cases_parties(world):
    mine = party(world.case)
    elsewhere = party(world.unshared)  # the same organisation, another case
    other_org = party(world.other_case)
    response = client_for(world.caseworker).get(
        reverse("cases:detention_create", args=[world.case.pk])
    )
    content = response.content.decode()
    assert str(mine.pk) in content
    assert str(elsewhere.pk) not in content and str(other_org.pk) not in content


def test_recording_a_detention_writes_through_the_service(world):
    person = party(world.case)
    timeline = Timeline()
    response = client_for(world.caseworker).post(
        reverse("cases:detention_create", args=[world.case.pk]),
        {**DETENTION, "person": person.pk},
    )
    assert response.status_code == 302
    detention = Detention.objects.get(person=person)
    assert response["Location"] == detention.get_absolute_url()
    assert response["Location"].endswith(f"#detention-{detention.pk}")
    assert (detention.case, detention.started_on, detention.ended_on) == (
        world.case,
        date(2010, 6, 10),
        None,
    )
    assert ("detention.created", world.caseworker) in [(e.kind, e.actor) for e in timeline.new()]


def test_an_overlapping_detention_is_refused_next_to_its_start(world):
    detention = _detention(world, started_on=date(2010, 6, 1))
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:detention_create", args=[world.case.pk]),
            {**DETENTION, "person": detention.person.pk},
        )
    assert response.status_code == 400
    assert "cannot overlap" in field_errors(response, "started_on")


def test_a_person_of_another_case_cannot_be_posted(world):
    outsider = party(world.other_case)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:detention_create", args=[world.case.pk]),
            {**DETENTION, "person": outsider.pk},
        )
    assert response.status_code == 400
    assert "valid choice" in field_errors(response, "person")


def test_the_detention_edit_form_shows_and_changes_its_values(world):
    detention = _detention(world, facility="SIZO-1", location="Almaty")
    url = reverse("cases:detention_update", args=[detention.pk])
    client = client_for(world.caseworker)
    response = client.get(url)
    assert field_value(response, "facility") == "SIZO-1"
    assert field_value(response, "started_on") == "2010-06-10"
    assert field_value(response, "basis") == "provisional_arrest_extradition"
    timeline = Timeline()
    response = client.post(
        url, {"basis": detention.basis, "started_on": "2010-06-10", "facility": "SIZO-2"}
    )
    assert response.status_code == 302
    detention.refresh_from_db()
    assert (detention.facility, detention.location) == ("SIZO-2", "")
    [event] = timeline.new()
    assert event.actor == world.caseworker
    assert event.data["before"]["facility"] == "SIZO-1"
    assert event.data["after"]["facility"] == "SIZO-2"


def test_an_end_before_the_start_is_refused_on_the_edit_form(world):
    detention = _detention(world)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:detention_update", args=[detention.pk]),
            {
                "basis": detention.basis,
                "started_on": "2010-06-10",
                "ended_on": "2010-06-01",
                "end_reason": "released",
            },
        )
    assert response.status_code == 400
    assert "cannot end before it started" in field_errors(response, "ended_on")


def test_ending_a_detention_writes_through_the_service(world):
    detention = _detention(world)
    timeline = Timeline()
    response = client_for(world.admin).post(
        reverse("cases:detention_end", args=[detention.pk]),
        {"ended_on": "2011-01-15", "end_reason": "extradited"},
    )
    assert response.status_code == 302
    assert response["Location"] == detention.get_absolute_url()
    detention.refresh_from_db()
    assert (detention.ended_on, detention.end_reason) == (date(2011, 1, 15), "extradited")
    [event] = timeline.new()
    assert (event.kind, event.actor) == ("detention.ended", world.admin)


def test_ending_a_detention_of_a_protected_person_raises_the_breach_alert(world):
    complaint = complaint_of(world.case)
    complainant = complaint.complainants.get()
    f.InterimMeasureFactory(complaint=complaint, granted_on=date(2010, 12, 3))
    detention = _detention(world, person=complainant)
    client_for(world.caseworker).post(
        reverse("cases:detention_end", args=[detention.pk]),
        {"ended_on": "2011-01-15", "end_reason": "deported"},
    )
    assert Alert.objects.filter(kind="interim_measure_breach", person=complainant).count() == 1


def test_ending_an_ended_detention_is_refused(world):
    detention = _detention(world, ended_on=date(2010, 8, 1), end_reason="released")
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:detention_end", args=[detention.pk]),
            {"ended_on": "2010-09-01", "end_reason": "released"},
        )
    assert response.status_code == 400
    assert "already ended" in field_errors(response, "ended_on")
