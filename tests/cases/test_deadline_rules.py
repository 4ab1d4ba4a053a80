"""Each seeded rule (cases/migrations/0006_seed_deadline_rules.py) fires from its trigger when
the record is written through the services, stays quiet when its condition is not met, and is
met when the record's ``met_field`` is filled."""

import importlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from cases.choices import DeadlineStatus
from cases.models import Case, CaseEvent, Deadline, DeadlineRule
from cases.services import (
    detention_create,
    detention_end,
    extradition_decision_record,
    extradition_request_create,
)
from cases.services.deadlines import deadline_rule_update
from rulings.services import (
    committee_decision_record,
    committee_decision_update,
    complaint_submit,
    complaint_update,
    status_decision_record,
    status_decision_update,
)
from tests.helpers import party

SEED = importlib.import_module("cases.migrations.0006_seed_deadline_rules").RULES
CODES = [rule["code"] for rule in SEED]
D = date
VIEWS_SENT = D(2012, 6, 15)  # when the Committee's Views are transmitted to the State


@pytest.fixture(autouse=True)
def lead(world):
    """The case lead, who is responsible for the deadlines the engine computes."""
    Case.objects.filter(pk=world.case.pk).update(lead=world.caseworker)
    world.case.refresh_from_db()
    return world.caseworker


# --- Builders: each writes a triggering record through its service ----------------------------


def _complaint(world, body: str, **fields):
    return complaint_submit(
        acting_user=world.caseworker,
        case=world.case,
        body=body,
        state_party="KZ",
        submitted_on=D(2011, 8, 1),
        complainants=[party(world.case)],
        **fields,
    )


def _views(world, body: str, outcome: str, kind: str = "merits", transmitted_on=VIEWS_SENT):
    return committee_decision_record(
        acting_user=world.caseworker,
        complaint=_complaint(world, body),
        kind=kind,
        adopted_on=D(2012, 6, 1),
        outcome=outcome,
        transmitted_on=transmitted_on,
    )


def _status(world, **fields):
    return status_decision_record(
        acting_user=world.caseworker, case=world.case, person=party(world.case), **fields
    )


def _detention(world, basis: str):
    return detention_create(
        acting_user=world.caseworker,
        case=world.case,
        person=party(world.case),
        basis=basis,
        started_on=D(2010, 6, 10),
    )


def _prosecutor(world, outcome: str):
    request = extradition_request_create(
        acting_user=world.caseworker,
        case=world.case,
        person=party(world.case),
        requesting_state="UZ",
        requested_state="KZ",
        received_on=D(2010, 6, 20),
    )
    return extradition_decision_record(
        acting_user=world.caseworker,
        request=request,
        stage="prosecutor",
        decided_on=D(2010, 9, 9),
        served_on=D(2010, 9, 10),
        outcome=outcome,
    )


def _transmitted(body):
    return lambda w: _complaint(w, body, transmitted_on=D(2011, 8, 31))


# code: (write that meets the condition, basis date, due day)
FIRES = {
    "cat.state_reply": (_transmitted("CAT"), D(2011, 8, 31), D(2012, 2, 29)),
    "cat.admissibility_only": (_transmitted("CAT"), D(2011, 8, 31), D(2011, 10, 31)),
    "cat.follow_up": (lambda w: _views(w, "CAT", "violation"), D(2012, 6, 15), D(2012, 9, 13)),
    "hrc.state_reply": (_transmitted("HRC"), D(2011, 8, 31), D(2012, 2, 29)),
    "hrc.follow_up": (lambda w: _views(w, "HRC", "violation"), D(2012, 6, 15), D(2012, 12, 12)),
    "cedaw.follow_up": (
        lambda w: _views(w, "CEDAW", "violation"),
        D(2012, 6, 15),
        D(2012, 12, 15),
    ),
    "crc.follow_up": (lambda w: _views(w, "CRC", "violation"), D(2012, 6, 15), D(2012, 12, 15)),
    "complaint.comments": (
        lambda w: _complaint(w, "HRC", comments_due_on=D(2011, 11, 15)),
        D(2011, 11, 15),
        D(2011, 11, 15),
    ),
    "unhcr.rsd_appeal": (
        lambda w: _status(
            w,
            authority="unhcr_mandate",
            outcome="rejected",
            decided_on=D(2010, 5, 1),
            notified_on=D(2010, 5, 5),
        ),
        D(2010, 5, 5),
        D(2010, 6, 4),
    ),
    "kz.provisional_arrest": (
        lambda w: _detention(w, "provisional_arrest_extradition"),
        D(2010, 6, 10),
        D(2010, 7, 20),
    ),
    "kz.identity_check": (
        lambda w: _detention(w, "provisional_arrest_extradition"),
        D(2010, 6, 10),
        D(2010, 6, 13),  # 72 hours from the start of 10 June: 13 June, 00:00
    ),
    "kz.extradition_appeal": (lambda w: _prosecutor(w, "granted"), D(2010, 9, 10), D(2010, 9, 20)),
    "kz.asylum_decision": (
        lambda w: _status(w, authority="national", outcome="pending", applied_on=D(2010, 2, 15)),
        D(2010, 2, 15),
        D(2010, 5, 17),  # 15 May 2010 was a Saturday
    ),
}

# code: a write like the one above that does not meet the rule's condition
QUIET = {
    "cat.state_reply": _transmitted("HRC"),
    "cat.admissibility_only": _transmitted("HRC"),
    "cat.follow_up": lambda w: _views(w, "CAT", "no_violation"),
    "hrc.state_reply": _transmitted("CAT"),
    "hrc.follow_up": lambda w: _views(w, "HRC", "inadmissible", kind="admissibility"),
    "cedaw.follow_up": lambda w: _views(w, "CRC", "violation"),
    "crc.follow_up": lambda w: _views(w, "CEDAW", "violation"),
    "complaint.comments": _transmitted("CAT"),  # no date set by the Committee
    "unhcr.rsd_appeal": lambda w: _status(
        w,
        authority="national",
        outcome="rejected",
        decided_on=D(2010, 5, 1),
        notified_on=D(2010, 5, 5),
    ),
    "kz.provisional_arrest": lambda w: _detention(w, "immigration"),
    "kz.identity_check": lambda w: _detention(w, "criminal"),
    "kz.extradition_appeal": lambda w: _prosecutor(w, "refused"),
    "kz.asylum_decision": lambda w: _status(
        w, authority="unhcr_mandate", outcome="pending", applied_on=D(2010, 2, 15)
    ),
}


def _fill(service, record_arg: str, **changes):
    return lambda w, record: service(acting_user=w.caseworker, **{record_arg: record}, **changes)


_state_reply = _fill(complaint_update, "complaint", state_reply_on=D(2012, 1, 20))
_follow_up = _fill(committee_decision_update, "decision", follow_up_reply_on=D(2012, 8, 1))

# code: (the write that fills the rule's met_field, the day it was met)
MET = {
    "cat.state_reply": (_state_reply, D(2012, 1, 20)),
    # Within its two months: the 2012 reply above would come too late for this one.
    "cat.admissibility_only": (
        _fill(complaint_update, "complaint", state_reply_on=D(2011, 10, 20)),
        D(2011, 10, 20),
    ),
    "hrc.state_reply": (_state_reply, D(2012, 1, 20)),
    "cat.follow_up": (_follow_up, D(2012, 8, 1)),
    "hrc.follow_up": (_follow_up, D(2012, 8, 1)),
    "cedaw.follow_up": (_follow_up, D(2012, 8, 1)),
    "crc.follow_up": (_follow_up, D(2012, 8, 1)),
    "kz.provisional_arrest": (
        _fill(detention_end, "detention", ended_on=D(2010, 7, 1), end_reason="released"),
        D(2010, 7, 1),
    ),
    "kz.identity_check": (
        _fill(detention_end, "detention", ended_on=D(2010, 6, 11), end_reason="released"),
        D(2010, 6, 11),
    ),
    # The application is decided: the authority has met its time limit.
    "kz.asylum_decision": (
        _fill(status_decision_update, "decision", outcome="rejected", decided_on=D(2010, 4, 1)),
        D(2010, 4, 1),
    ),
}


def test_every_seeded_rule_is_tested():
    assert sorted(FIRES) == sorted(QUIET) == sorted(CODES)
    assert sorted(MET) == sorted(rule["code"] for rule in SEED if rule["met_field"])
    assert set(DeadlineRule.objects.values_list("code", flat=True)) >= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_a_rule_fires_from_its_trigger(world, lead, code):
    write, basis, due = FIRES[code]
    record = write(world)
    rule = DeadlineRule.objects.get(code=code)
    deadline = Deadline.objects.get(rule=rule)
    assert deadline.status == DeadlineStatus.OPEN
    assert (deadline.subject, deadline.case, deadline.title) == (record, world.case, rule.title)
    assert (deadline.basis_date, deadline.due_date) == (basis, due)
    assert deadline.due_at == deadline.computed_due_at
    assert deadline.rule_version == rule.rule_version == 1
    assert (deadline.timezone, deadline.reminders) == (rule.timezone, rule.reminders)
    assert deadline.explanation.startswith(f"{rule.source}: {rule.trigger_label} {basis}")
    assert due.isoformat() in deadline.explanation
    assert deadline.responsible == lead
    assert deadline.next_alert_at is not None
    assert not deadline.override_reason
    event = CaseEvent.objects.get(kind="deadline.created", subject_id=deadline.pk)
    assert (event.actor, event.case) == (world.caseworker, world.case)


@pytest.mark.parametrize("code", CODES)
def test_a_rule_whose_condition_is_not_met_stays_quiet(world, code):
    QUIET[code](world)
    assert not Deadline.objects.filter(rule__code=code).exists()


def test_a_trigger_without_its_date_starts_nothing(world):
    complaint = _complaint(world, "CAT")
    committee_decision_record(
        acting_user=world.caseworker,
        complaint=complaint,
        kind="merits",
        adopted_on=D(2012, 6, 1),
        outcome="violation",
    )
    _detention(world, "provisional_arrest_extradition")
    assert set(Deadline.objects.values_list("rule__code", flat=True)) == {
        "kz.provisional_arrest",
        "kz.identity_check",
    }


@pytest.mark.parametrize("code", sorted(MET))
def test_filling_the_met_field_meets_the_deadline(world, code):
    record = FIRES[code][0](world)
    fill, met_on = MET[code]
    fill(world, record)
    deadline = Deadline.objects.get(rule__code=code)
    assert (deadline.status, deadline.met_on) == (DeadlineStatus.MET, met_on)
    assert deadline.next_alert_at is None
    event = CaseEvent.objects.get(kind="deadline.met", subject_id=deadline.pk)
    assert event.actor == world.caseworker
    assert event.data["after"] == {"status": "met", "met_on": met_on.isoformat()}


def test_a_record_written_with_its_met_date_starts_a_met_deadline(world):
    _complaint(world, "CAT", transmitted_on=D(2011, 8, 31), state_reply_on=D(2012, 1, 20))
    deadline = Deadline.objects.get(rule__code="cat.state_reply")
    assert (deadline.status, deadline.met_on) == (DeadlineStatus.MET, D(2012, 1, 20))
    assert deadline.next_alert_at is None


def test_a_pending_asylum_application_is_met_by_its_decision(world):
    application = _status(world, authority="national", outcome="pending", applied_on=D(2010, 2, 15))
    deadline = Deadline.objects.get(rule__code="kz.asylum_decision")
    assert (deadline.status, deadline.subject) == (DeadlineStatus.OPEN, application)
    status_decision_update(
        acting_user=world.caseworker,
        decision=application,
        outcome="rejected",
        decided_on=D(2010, 5, 1),
    )
    deadline.refresh_from_db()
    assert (deadline.status, deadline.met_on) == (DeadlineStatus.MET, D(2010, 5, 1))
    assert not CaseEvent.objects.filter(kind="deadline.cancelled").exists()


def test_a_decision_after_the_time_limit_leaves_the_deadline_missed(world):
    application = _status(world, authority="national", outcome="pending", applied_on=D(2010, 2, 15))
    status_decision_update(
        acting_user=world.caseworker,
        decision=application,
        outcome="rejected",
        decided_on=D(2010, 6, 1),  # three months ran out on 17 May (15 May was a Saturday)
    )
    deadline = Deadline.objects.get(rule__code="kz.asylum_decision")
    assert (deadline.status, deadline.met_on) == (DeadlineStatus.MISSED, None)
    assert CaseEvent.objects.filter(kind="deadline.updated", data__after__status="missed").exists()


def test_a_state_reply_after_its_period_leaves_the_deadline_missed(world):
    complaint = _transmitted("CAT")(world)
    complaint_update(
        acting_user=world.caseworker, complaint=complaint, state_reply_on=D(2012, 3, 15)
    )
    deadline = Deadline.objects.get(rule__code="cat.state_reply")
    assert deadline.status == DeadlineStatus.MISSED


def test_an_application_recorded_already_decided_has_no_deadline(world):
    _status(
        world,
        authority="national",
        outcome="rejected",
        applied_on=D(2010, 2, 15),
        decided_on=D(2010, 4, 1),
    )
    assert not Deadline.objects.filter(rule__code="kz.asylum_decision").exists()


def test_a_rule_turned_off_computes_nothing_new(world):
    DeadlineRule.objects.filter(code="cat.follow_up").update(active=False)
    _views(world, "CAT", "violation")
    assert not Deadline.objects.filter(rule__code="cat.follow_up").exists()


# --- Changed rules ---------------------------------------------------------------------------


def test_a_changed_rule_applies_only_to_deadlines_computed_after_it(world, extra_users):
    old = _views(world, "CAT", "violation")
    rule = DeadlineRule.objects.get(code="cat.follow_up")
    deadline_rule_update(acting_user=extra_users["superuser"], rule=rule, period=60)
    rule.refresh_from_db()
    assert (rule.period, rule.rule_version) == (60, 2)

    kept = Deadline.objects.get(rule=rule, subject_id=old.pk)
    assert (kept.due_date, kept.rule_version) == (D(2012, 9, 13), 1)
    assert kept.explanation.endswith("+ 90 days = 2012-09-13")

    new = _views(world, "CAT", "violation", transmitted_on=D(2012, 7, 2))
    fresh = Deadline.objects.get(rule=rule, subject_id=new.pk)
    assert (fresh.due_date, fresh.rule_version) == (D(2012, 8, 31), 2)
    assert fresh.explanation.endswith("+ 60 days = 2012-08-31")


def test_an_unchanged_rule_keeps_its_version(extra_users):
    rule = DeadlineRule.objects.get(code="cat.follow_up")
    deadline_rule_update(acting_user=extra_users["superuser"], rule=rule, period=90)
    rule.refresh_from_db()
    assert rule.rule_version == 1


@pytest.mark.parametrize("who", ["admin", "caseworker", "other_admin"])
def test_only_a_platform_operator_may_change_a_rule(world, who):
    rule = DeadlineRule.objects.get(code="cat.follow_up")
    with pytest.raises(PermissionDenied):
        deadline_rule_update(acting_user=getattr(world, who), rule=rule, period=60)
    rule.refresh_from_db()
    assert (rule.period, rule.rule_version) == (90, 1)
