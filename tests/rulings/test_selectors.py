"""Derived facts about a person (rulings/selectors.py): current status, interim-measure
protection and the high-risk flag, per person and in bulk."""

import datetime
import itertools

import pytest
from django.utils import timezone

from cases.choices import RequestStatus
from people.models import Person
from rulings.choices import Authority, StatusOutcome
from rulings.selectors import (
    people_high_risk,
    person_current_status,
    person_is_high_risk,
    person_is_protected,
    person_protecting_measures,
    person_status_map,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

UNHCR, NATIONAL = Authority.UNHCR_MANDATE, Authority.NATIONAL
D = datetime.date


@pytest.fixture
def case():
    return f.CaseFactory()


def _party(case):
    return f.CasePartyFactory(case=case).person


def _decision(person, case, authority, outcome, decided_on, **fields):
    return f.StatusDecisionFactory(
        person=person,
        case=case,
        authority=authority,
        outcome=outcome,
        decided_on=decided_on,
        **fields,
    )


def _request(person, case, status=RequestStatus.PENDING):
    surrendered_on = D(2011, 3, 1) if status == RequestStatus.SURRENDERED else None
    return f.ExtraditionRequestFactory(
        person=person, case=case, status=status, surrendered_on=surrendered_on
    )


def _high_risk_person(case, *, national=StatusOutcome.REJECTED, request=RequestStatus.PENDING):
    person = _party(case)
    _decision(person, case, UNHCR, StatusOutcome.RECOGNISED, D(2009, 11, 1))
    _decision(person, case, NATIONAL, national, D(2010, 3, 1))
    _request(person, case, request)
    return person


# --- current status ---------------------------------------------------------------------------


def test_a_person_without_decisions_has_no_status(case):
    assert person_current_status(person=_party(case)) == {UNHCR: None, NATIONAL: None}


def test_the_latest_decision_of_each_authority_is_the_status(case):
    person = _party(case)
    _decision(person, case, UNHCR, StatusOutcome.RECOGNISED, D(2009, 11, 1))
    withdrawn = _decision(person, case, UNHCR, StatusOutcome.WITHDRAWN, D(2011, 2, 1))
    rejected = _decision(person, case, NATIONAL, StatusOutcome.REJECTED, D(2010, 3, 1))
    _decision(person, case, Authority.COURT, StatusOutcome.RECOGNISED, D(2012, 1, 1))
    _decision(_party(case), case, NATIONAL, StatusOutcome.RECOGNISED, D(2013, 1, 1))

    assert person_current_status(person=person) == {UNHCR: withdrawn, NATIONAL: rejected}


def test_an_appeal_decided_later_supersedes_even_if_recorded_first(case):
    person = _party(case)
    first = _decision(person, case, NATIONAL, StatusOutcome.REJECTED, D(2010, 3, 1))
    appeal = _decision(
        person, case, NATIONAL, StatusOutcome.RECOGNISED, D(2010, 9, 1), appeal_of=first
    )
    type(first).objects.filter(pk=appeal.pk).update(
        created_at=first.created_at - datetime.timedelta(days=30)
    )

    assert person_current_status(person=person)[NATIONAL] == appeal


def test_on_the_same_day_the_decision_recorded_last_wins(case):
    person = _party(case)
    earlier = _decision(person, case, NATIONAL, StatusOutcome.REJECTED, D(2010, 3, 1))
    later = _decision(person, case, NATIONAL, StatusOutcome.RECOGNISED, D(2010, 3, 1))
    recorded = timezone.now()
    type(earlier).objects.filter(pk=earlier.pk).update(created_at=recorded)
    type(later).objects.filter(pk=later.pk).update(
        created_at=recorded + datetime.timedelta(seconds=1)
    )

    assert person_current_status(person=person)[NATIONAL] == later


@pytest.mark.parametrize("count", [1, 5])
def test_the_status_map_takes_one_query_for_any_number_of_people(
    case, count, django_assert_num_queries
):
    people = [_party(case) for _ in range(count)]
    for person in people:
        _decision(person, case, UNHCR, StatusOutcome.RECOGNISED, D(2009, 11, 1))
        _decision(person, case, UNHCR, StatusOutcome.WITHDRAWN, D(2011, 2, 1))
        _decision(person, case, NATIONAL, StatusOutcome.REJECTED, D(2010, 3, 1))

    with django_assert_num_queries(1):
        statuses = person_status_map(people=people)

    assert set(statuses) == {p.pk for p in people}
    assert {(s[UNHCR].outcome, s[NATIONAL].outcome) for s in statuses.values()} == {
        (StatusOutcome.WITHDRAWN, StatusOutcome.REJECTED)
    }


def test_the_status_map_of_no_one_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert person_status_map(people=[]) == {}


# --- interim measures -------------------------------------------------------------------------


@pytest.fixture
def measure(case):
    """A measure granted 3 December 2010 and lifted 1 June 2011 for one complainant."""
    complaint = f.ComplaintFactory(case=case)
    complaint.complainants.add(_party(case))
    return f.InterimMeasureFactory(
        complaint=complaint, granted_on=D(2010, 12, 3), lifted_on=D(2011, 6, 1)
    )


@pytest.mark.parametrize(
    ("day", "protected"),
    [
        (D(2010, 12, 2), False),  # requested, not yet granted
        (D(2010, 12, 3), True),  # the day of grant
        (D(2011, 5, 31), True),
        (D(2011, 6, 1), False),  # lifted: no longer in force that day
    ],
)
def test_a_measure_protects_its_complainant_from_grant_until_lifted(measure, day, protected):
    person = measure.complaint.complainants.get()

    assert person_is_protected(person=person, on=day) is protected
    assert list(person_protecting_measures(person=person, on=day)) == (
        [measure] if protected else []
    )


def test_a_measure_does_not_protect_a_party_who_is_not_a_complainant(case, measure):
    brother = _party(case)

    assert person_is_protected(person=brother, on=D(2011, 1, 10)) is False


def test_a_requested_measure_protects_no_one_until_granted(case):
    complaint = f.ComplaintFactory(case=case)
    complaint.complainants.add(person := _party(case))
    f.InterimMeasureFactory(complaint=complaint, requested_on=D(2010, 12, 1), granted_on=None)

    assert person_is_protected(person=person, on=D(2011, 1, 10)) is False


def test_protection_is_judged_today_by_default(case):
    today, yesterday = timezone.localdate(), timezone.localdate() - datetime.timedelta(days=1)
    protected, unprotected = _party(case), _party(case)
    for person, lifted_on in ((protected, None), (unprotected, today)):
        complaint = f.ComplaintFactory(case=case, submitted_on=yesterday)
        complaint.complainants.add(person)
        f.InterimMeasureFactory(
            complaint=complaint, requested_on=yesterday, granted_on=yesterday, lifted_on=lifted_on
        )

    assert person_is_protected(person=protected) is True
    assert person_is_protected(person=unprotected) is False


# --- high risk --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "national", [StatusOutcome.REJECTED, StatusOutcome.WITHDRAWN, StatusOutcome.REVOKED]
)
@pytest.mark.parametrize("request_status", [RequestStatus.PENDING, RequestStatus.GRANTED])
def test_recognised_by_unhcr_refused_by_the_state_and_wanted_is_high_risk(
    case, national, request_status
):
    person = _high_risk_person(case, national=national, request=request_status)

    assert person_is_high_risk(person=person) is True
    assert list(people_high_risk(Person.objects.all())) == [person]


def test_a_withdrawn_unhcr_status_is_not_high_risk(case):
    person = _high_risk_person(case)
    _decision(person, case, UNHCR, StatusOutcome.WITHDRAWN, D(2011, 2, 1))

    assert person_is_high_risk(person=person) is False
    assert list(people_high_risk(Person.objects.all())) == []


@pytest.mark.parametrize(
    "request_status",
    [None, RequestStatus.REFUSED, RequestStatus.WITHDRAWN, RequestStatus.SURRENDERED],
)
def test_a_national_rejection_without_a_live_request_is_not_high_risk(case, request_status):
    person = _party(case)
    _decision(person, case, UNHCR, StatusOutcome.RECOGNISED, D(2009, 11, 1))
    _decision(person, case, NATIONAL, StatusOutcome.REJECTED, D(2010, 3, 1))
    if request_status:
        _request(person, case, request_status)

    assert person_is_high_risk(person=person) is False
    assert list(people_high_risk(Person.objects.all())) == []


def test_a_national_recognition_on_appeal_ends_the_risk(case):
    person = _high_risk_person(case)
    rejection = person.status_decisions.get(authority=NATIONAL)
    _decision(person, case, NATIONAL, StatusOutcome.RECOGNISED, D(2010, 9, 1), appeal_of=rejection)

    assert person_is_high_risk(person=person) is False
    assert list(people_high_risk(Person.objects.all())) == []


UNHCR_HISTORIES = [None, StatusOutcome.RECOGNISED, StatusOutcome.WITHDRAWN]
NATIONAL_HISTORIES = [
    None,
    StatusOutcome.REJECTED,
    StatusOutcome.REVOKED,
    StatusOutcome.CEASED,
    StatusOutcome.RECOGNISED,
]
REQUEST_HISTORIES = [
    [],
    [RequestStatus.PENDING],
    [RequestStatus.GRANTED],
    [RequestStatus.SURRENDERED],
    [RequestStatus.REFUSED, RequestStatus.PENDING],
]


def _opposite(outcome):
    """An outcome for an older decision that would flip the answer if it were taken as current."""
    if outcome == StatusOutcome.RECOGNISED:
        return StatusOutcome.WITHDRAWN
    return StatusOutcome.RECOGNISED


def test_the_queryset_filter_agrees_with_the_per_person_rule(case, django_assert_num_queries):
    expected = set()
    for unhcr, national, requests in itertools.product(
        UNHCR_HISTORIES, NATIONAL_HISTORIES, REQUEST_HISTORIES
    ):
        person = _party(case)
        for authority, outcome in ((UNHCR, unhcr), (NATIONAL, national)):
            if outcome:
                _decision(person, case, authority, _opposite(outcome), D(2009, 1, 1))
                _decision(person, case, authority, outcome, D(2010, 1, 1))
        for status in requests:
            _request(person, case, status)
        if (
            unhcr == StatusOutcome.RECOGNISED
            and national in (StatusOutcome.REJECTED, StatusOutcome.REVOKED)
            and {RequestStatus.PENDING, RequestStatus.GRANTED} & set(requests)
        ):
            expected.add(person.pk)
    assert expected  # the matrix holds high-risk people as well as others

    per_person = {p.pk for p in Person.objects.all() if person_is_high_risk(person=p)}
    with django_assert_num_queries(1):
        in_sql = {p.pk for p in people_high_risk(Person.objects.all())}

    assert per_person == expected
    assert in_sql == expected


@pytest.mark.parametrize("count", [1, 5])
def test_the_high_risk_filter_is_one_query_for_any_number_of_people(
    case, count, django_assert_num_queries
):
    people = [_high_risk_person(case) for _ in range(count)]

    with django_assert_num_queries(1):
        found = list(people_high_risk(Person.objects.filter(organisation=case.organisation)))

    assert {p.pk for p in found} == {p.pk for p in people}
