"""Deadlines people set or correct (DESIGN §6, issue #5): a manual deadline, moving a computed
date with its reason, marking one met (lawyers may), missed or open again (staff only)."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from cases.choices import DeadlineStatus
from cases.models import CaseEvent, Deadline
from tests import factories as f
from tests.helpers import nothing_written, party
from tests.pages.form_helpers import (
    FormMatrix,
    Timeline,
    client_for,
    field_errors,
    field_value,
    form_errors,
)
from tests.pages.matrix import FILE_FORM, ActionMatrix

STAFF_OF_THE_CASE = {"admin": True, "caseworker": True}


def _deadline(world, **fields) -> Deadline:
    return f.ManualDeadlineFactory(case=world.case, **fields)


def _rule_deadline(world) -> Deadline:
    return f.RuleDeadlineFactory(case=world.case, code="cat.state_reply", basis=date(2030, 1, 15))


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- a deadline entered by hand -----------------------------------------------------------


class TestDeadlineCreate(FormMatrix):
    url_name = "cases:deadline_create"
    status = FILE_FORM

    def url(self, world) -> str:
        return reverse(self.url_name, args=[world.case.pk])


MANUAL = {"title": "Hearing at the city court", "due_on": "2030-03-01", "timezone": "Asia/Almaty"}


def test_adding_a_deadline_writes_through_the_service(world):
    person = party(world.case)
    timeline = Timeline()
    response = client_for(world.lawyer).post(
        reverse("cases:deadline_create", args=[world.case.pk]),
        {
            **MANUAL,
            "person": person.pk,
            "responsible": world.lawyer.pk,
            "explanation": "Set by the judge at the hearing of 3 May.",
        },
    )
    assert response.status_code == 302
    deadline = Deadline.objects.get(case=world.case)
    assert response["Location"] == deadline.get_absolute_url()
    assert response["Location"].endswith(f"#deadline-{deadline.pk}")
    assert (deadline.due_date, deadline.person, deadline.responsible) == (
        date(2030, 3, 1),
        person,
        world.lawyer,
    )
    assert deadline.explanation == "Set by the judge at the hearing of 3 May."
    events = [(e.kind, e.actor) for e in _all_new(timeline)]
    assert ("deadline.created", world.lawyer) in events


def _all_new(timeline) -> list[CaseEvent]:
    """The new events, the deadline's own included (Timeline.new leaves out deadline.*)."""
    return list(CaseEvent.objects.exclude(pk__in=timeline._seen).order_by("at"))


def test_the_responsible_user_is_chosen_among_those_on_the_case(world):
    content = (
        client_for(world.caseworker)
        .get(reverse("cases:deadline_create", args=[world.case.pk]))
        .content.decode()
    )
    assert f'value="{world.lawyer.pk}"' in content  # the case is shared with them
    assert f'value="{world.other_caseworker.pk}"' not in content
    assert f'value="{world.stranger.pk}"' not in content


def test_a_responsible_user_who_cannot_see_a_restricted_case_is_neither_offered_nor_taken(world):
    url = reverse("cases:deadline_create", args=[world.restricted.pk])
    admin = client_for(world.admin)
    assert f'value="{world.caseworker.pk}"' not in admin.get(url).content.decode()
    with nothing_written():
        response = admin.post(url, {**MANUAL, "responsible": world.caseworker.pk})
    assert response.status_code == 400
    assert field_errors(response, "responsible")


def test_an_outside_lawyer_chooses_between_themselves_and_the_lead_not_the_staff_list(world):
    world.case.lead = world.caseworker
    world.case.save()

    content = (
        client_for(world.lawyer)
        .get(reverse("cases:deadline_create", args=[world.case.pk]))
        .content.decode()
    )

    assert f'value="{world.lawyer.pk}"' in content
    assert f'value="{world.caseworker.pk}"' in content  # the lead
    assert f'value="{world.admin.pk}"' not in content
    assert f'value="{world.viewer.pk}"' not in content


def test_an_unknown_time_zone_is_refused_next_to_it(world):
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:deadline_create", args=[world.case.pk]),
            {**MANUAL, "timezone": "Mars/Olympus"},
        )
    assert response.status_code == 400
    assert "is not a time zone" in field_errors(response, "timezone")


# --- overriding a computed date -----------------------------------------------------------


class TestDeadlineOverride(FormMatrix):
    url_name = "cases:deadline_override"
    status = FILE_FORM

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_rule_deadline(world).pk])


def test_the_override_form_shows_the_current_due_date_and_how_it_was_computed(world):
    deadline = _rule_deadline(world)
    response = client_for(world.caseworker).get(
        reverse("cases:deadline_override", args=[deadline.pk])
    )
    assert field_value(response, "due_on") == deadline.due_date.isoformat()
    assert deadline.explanation.split(".")[0] in response.content.decode()


def test_overriding_a_due_date_writes_through_the_service(world):
    deadline = _rule_deadline(world)
    computed = deadline.due_at
    timeline = Timeline()
    response = client_for(world.lawyer).post(
        reverse("cases:deadline_override", args=[deadline.pk]),
        {"due_on": "2030-08-01", "reason": "The Committee's letter of 20 January names 1 August."},
    )
    assert response.status_code == 302
    assert response["Location"] == deadline.get_absolute_url()
    deadline.refresh_from_db()
    assert deadline.due_date == date(2030, 8, 1)
    assert deadline.computed_due_at == computed
    assert (deadline.overridden_by, deadline.override_reason) == (
        world.lawyer,
        "The Committee's letter of 20 January names 1 August.",
    )
    assert ("deadline.overridden", world.lawyer) in [(e.kind, e.actor) for e in _all_new(timeline)]


def test_an_override_without_a_reason_is_refused_next_to_it(world):
    deadline = _rule_deadline(world)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:deadline_override", args=[deadline.pk]),
            {"due_on": "2030-08-01", "reason": "  "},
        )
    assert response.status_code == 400
    assert "Say why the computed date is overridden" in field_errors(response, "reason")


# --- met, missed, open again --------------------------------------------------------------


class TestDeadlineMet(FormMatrix):
    url_name = "cases:deadline_met"
    status = FILE_FORM

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_deadline(world).pk])


def test_marking_a_deadline_met_writes_through_the_service(world):
    deadline = _deadline(world)
    timeline = Timeline()
    response = client_for(world.lawyer).post(
        reverse("cases:deadline_met", args=[deadline.pk]), {"met_on": "2030-02-20"}
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on) == (DeadlineStatus.MET, date(2030, 2, 20))
    assert ("deadline.met", world.lawyer) in [(e.kind, e.actor) for e in _all_new(timeline)]


def test_marking_a_met_deadline_met_again_says_why_not(world):
    deadline = _deadline(world, status=DeadlineStatus.MET, met_on=date(2030, 2, 1))
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:deadline_met", args=[deadline.pk]), {"met_on": "2030-02-20"}
        )
    assert response.status_code == 400
    assert "Only an open deadline can be marked met" in form_errors(response)


def test_the_met_form_proposes_today(world):
    deadline = _deadline(world)
    response = client_for(world.caseworker).get(reverse("cases:deadline_met", args=[deadline.pk]))
    assert field_value(response, "met_on") == timezone.localdate().isoformat()


class TestDeadlineMissed(ActionMatrix):
    url_name = "cases:deadline_missed"
    allowed = STAFF_OF_THE_CASE

    def url(self, world) -> str:
        return reverse(self.url_name, args=[_deadline(world).pk])


class TestDeadlineReopen(ActionMatrix):
    url_name = "cases:deadline_reopen"
    allowed = STAFF_OF_THE_CASE

    def url(self, world) -> str:
        deadline = _deadline(world, status=DeadlineStatus.MISSED)
        return reverse(self.url_name, args=[deadline.pk])


def test_marking_a_deadline_missed_then_open_again(world):
    deadline = _deadline(world)
    client = client_for(world.caseworker)
    timeline = Timeline()
    response = client.post(reverse("cases:deadline_missed", args=[deadline.pk]))
    assert response.status_code == 302
    assert response["Location"] == deadline.get_absolute_url()
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MISSED
    response = client.post(reverse("cases:deadline_reopen", args=[deadline.pk]))
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.OPEN
    events = [(e.kind, e.actor, e.data["after"]["status"]) for e in _all_new(timeline)]
    assert events == [
        ("deadline.updated", world.caseworker, "missed"),
        ("deadline.updated", world.caseworker, "open"),
    ]


def test_reopening_an_open_deadline_changes_nothing_and_says_why(world):
    deadline = _deadline(world)
    with nothing_written():
        response = client_for(world.caseworker).post(
            reverse("cases:deadline_reopen", args=[deadline.pk])
        )
    assert response.status_code == 302
    assert any("already open" in m for m in _messages(response))
