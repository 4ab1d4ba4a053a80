"""Database constraints of cases: each fires in the database itself, bypassing full_clean(), so
no writer (a race, a script, a raw import) can store what the models forbid.

Each row shares its setup between a valid record and the one change that breaks it, so a row
cannot pass because of some other fault.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from cases.choices import AccessRole, DecisionStage
from cases.models import AppendOnlyError, CaseEvent, Detention, ExtraditionDecision
from casetracker.audit import Verb, event_record
from organisations.choices import Role
from tests import factories as f
from tests.helpers import violates

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL-only guard (migration 0003)"
)
ENDED = {"ended_on": date(2010, 7, 1), "end_reason": "released"}
SURRENDERED = {"status": "surrendered", "surrendered_on": date(2011, 3, 1)}

CHECKS = [
    # (constraint, factory, a valid record's fields, the change that breaks the constraint)
    pytest.param(
        "cases_case_closed_after_opened",
        f.CaseFactory,
        {"status": "closed", "opened_on": date(2010, 6, 10), "closed_on": date(2010, 6, 10)},
        {"closed_on": date(2010, 6, 9)},
        id="case closed before opened",
    ),
    pytest.param(
        "cases_case_closed_on_iff_closed",
        f.CaseFactory,
        {"status": "closed", "closed_on": date(2012, 1, 1)},
        {"closed_on": None},
        id="closed case without closing date",
    ),
    pytest.param(
        "cases_case_closed_on_iff_closed",
        f.CaseFactory,
        {"status": "open"},
        {"closed_on": date(2012, 1, 1)},
        id="open case with closing date",
    ),
    pytest.param(
        "cases_detention_ends_after_start",
        f.DetentionFactory,
        {"started_on": date(2010, 6, 10), "ended_on": date(2010, 6, 10), "end_reason": "other"},
        {"ended_on": date(2010, 6, 9)},
        id="detention ends before start",
    ),
    pytest.param(
        "cases_detention_end_reason_with_end",
        f.DetentionFactory,
        ENDED,
        {"end_reason": ""},
        id="ended detention without reason",
    ),
    pytest.param(
        "cases_detention_end_reason_with_end",
        f.DetentionFactory,
        {},
        {"end_reason": "released"},
        id="ongoing detention with end reason",
    ),
    pytest.param(
        "cases_extraditionrequest_surrender_date_iff_surrendered",
        f.ExtraditionRequestFactory,
        SURRENDERED,
        {"surrendered_on": None},
        id="surrender without date",
    ),
    pytest.param(
        "cases_extraditionrequest_surrender_date_iff_surrendered",
        f.ExtraditionRequestFactory,
        {"status": "granted"},
        {"surrendered_on": date(2011, 3, 1)},
        id="surrender date without surrender",
    ),
    pytest.param(
        "cases_extraditionrequest_surrender_after_request",
        f.ExtraditionRequestFactory,
        {**SURRENDERED, "received_on": date(2010, 6, 20), "surrendered_on": date(2010, 6, 20)},
        {"surrendered_on": date(2010, 6, 19)},
        id="surrender before request",
    ),
    pytest.param(
        "cases_extraditionrequest_two_states",
        f.ExtraditionRequestFactory,
        {"requesting_state": "UZ", "requested_state": "KZ"},
        {"requested_state": "UZ"},
        id="a State requesting itself",
    ),
    pytest.param(
        "cases_extraditiondecision_served_after_decided",
        f.ExtraditionDecisionFactory,
        {"decided_on": date(2010, 9, 9), "served_on": date(2010, 9, 9)},
        {"served_on": date(2010, 9, 8)},
        id="decision served before decided",
    ),
]


@pytest.mark.parametrize(("constraint", "factory", "valid", "breaking"), CHECKS)
def test_check_constraint(db, constraint, factory, valid, breaking):
    factory(**valid)
    with violates(constraint):
        factory(**{**valid, **breaking})


def test_a_case_reference_is_unique_within_its_organisation(world):
    f.CaseFactory(organisation=world.other_org, reference=world.case.reference)
    with violates("cases_case_unique_reference"):
        f.CaseFactory(organisation=world.org, reference=world.case.reference)


def test_a_person_is_a_party_to_a_case_once(world):
    party = f.CasePartyFactory(case=world.case)
    f.CasePartyFactory(case=world.unshared, person=party.person)
    with violates("cases_caseparty_once_per_case"):
        f.CasePartyFactory(case=world.case, person=party.person, role="witness")


def test_a_case_is_shared_with_a_user_once(world):
    f.CaseAccessFactory(case=world.unshared, user=world.lawyer)
    with violates("cases_caseaccess_once_per_user"):
        f.CaseAccessFactory(case=world.case, user=world.lawyer, role=AccessRole.VIEWER)


def test_a_user_is_a_member_of_an_organisation_once(world):
    f.MembershipFactory(user=world.caseworker, organisation=world.other_org, role=Role.VIEWER)
    with violates("cases_membership_one_per_organisation"):
        f.MembershipFactory(user=world.caseworker, organisation=world.org, role=Role.ADMIN)


# --- detentions of one person never overlap ---------------------------------------------------


def _detention(person, case, started_on, ended_on=None) -> Detention:
    return f.DetentionFactory(
        person=person,
        case=case,
        started_on=started_on,
        ended_on=ended_on,
        end_reason="transferred" if ended_on else "",
    )


@pytest.fixture
def detained(world) -> Detention:
    """A detention from 10 to 30 June 2010 of a party to ``world.case``."""
    return f.DetentionFactory(
        case=world.case,
        started_on=date(2010, 6, 10),
        ended_on=date(2010, 6, 30),
        end_reason="transferred",
    )


@postgresql_only
def test_overlapping_detentions_are_refused_by_the_database(world, detained):
    _detention(f.CasePartyFactory(case=world.case).person, world.case, date(2010, 6, 20))
    with violates("cases_detention_no_overlap"):
        _detention(detained.person, world.case, date(2010, 6, 20), date(2010, 7, 20))


@postgresql_only
def test_adjacent_detentions_are_fine(detained):
    _detention(detained.person, detained.case, date(2010, 7, 1), date(2010, 8, 1))
    _detention(detained.person, detained.case, date(2010, 6, 1), date(2010, 6, 9))


@postgresql_only
def test_an_open_ended_detention_overlaps_anything_later(world):
    ongoing = _detention(f.CasePartyFactory(case=world.case).person, world.case, date(2010, 6, 10))
    _detention(ongoing.person, world.case, date(2010, 1, 1), date(2010, 6, 9))
    with violates("cases_detention_no_overlap"):
        _detention(ongoing.person, world.case, date(2012, 1, 1), date(2012, 2, 1))


@pytest.mark.parametrize(
    ("started_on", "ended_on", "clash"),
    [
        (date(2010, 6, 30), date(2010, 7, 20), "from 2010-06-10 to 2010-06-30"),
        (date(2010, 6, 1), None, "from 2010-06-10 to 2010-06-30"),
        (date(2010, 7, 1), None, None),
        (date(2010, 6, 1), date(2010, 6, 9), None),
    ],
)
def test_the_model_gives_the_same_rule_naming_the_clashing_dates(
    detained, started_on, ended_on, clash
):
    detention = Detention(
        person=detained.person,
        case=detained.case,
        basis="immigration",
        started_on=started_on,
        ended_on=ended_on,
        end_reason="released" if ended_on else "",
    )
    if clash is None:
        detention.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            detention.full_clean()
        assert clash in error.value.message_dict["started_on"][0]


def test_the_model_names_an_ongoing_detention_it_clashes_with(world):
    ongoing = _detention(f.CasePartyFactory(case=world.case).person, world.case, date(2010, 6, 10))
    later = Detention(
        person=ongoing.person, case=world.case, basis="criminal", started_on=date(2012, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        later.full_clean()
    assert "from 2010-06-10 to now" in error.value.message_dict["started_on"][0]


# --- extradition stages -----------------------------------------------------------------------


def test_a_later_stage_cannot_be_dated_before_the_decision_it_reviews(world):
    prosecutor = f.ExtraditionDecisionFactory(
        request=f.ExtraditionRequestFactory(case=world.case), decided_on=date(2010, 9, 9)
    )
    common = {"request": prosecutor.request, "outcome": "upheld"}
    ExtraditionDecision(
        stage=DecisionStage.FIRST_INSTANCE, decided_on=date(2010, 9, 9), **common
    ).full_clean()
    appeal = ExtraditionDecision(stage=DecisionStage.APPEAL, decided_on=date(2010, 9, 1), **common)
    with pytest.raises(ValidationError) as error:
        appeal.full_clean()
    assert "2010-09-09" in error.value.message_dict["decided_on"][0]


# --- the append-only timeline -----------------------------------------------------------------


@pytest.fixture
def event(world) -> CaseEvent:
    return event_record(
        verb=Verb.CLOSED, actor=world.caseworker, subject=world.case, case=world.case
    )


def test_an_event_is_never_changed_or_deleted(event):
    event.kind = "case.reopened"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).update(kind="case.reopened")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).kind == "case.closed"


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_caseevent SET kind = 'case.reopened' WHERE id = %s",
        "DELETE FROM cases_caseevent WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_changes_to_the_timeline(event, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert CaseEvent.objects.get(pk=event.pk).kind == "case.closed"
