"""``manage.py load_demo``: the fictional demo of DESIGN §1 loads once, through the services,
and what each demo user sees follows the access rules of DESIGN §4."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cases.choices import (
    AccessRole,
    CaseStatus,
    DecisionOutcome,
    DecisionStage,
    DetentionBasis,
    DetentionEndReason,
    PartyRole,
    RequestStatus,
)
from cases.models import Case, CaseAccess, CaseEvent, Note
from organisations.choices import Role
from organisations.models import Membership, Organisation
from people.choices import NameKind, Script
from people.models import Person, PersonName, Relationship
from rulings.choices import Authority, CommitteeOutcome, StatusOutcome, TreatyBody
from rulings.models import RefugeeStatusDecision
from workspace.demo import DEMO_PASSWORD, LOGINS

pytestmark = pytest.mark.django_db
d = datetime.date
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def load_demo(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    # pytest-django runs tests with DEBUG=False, which the command rightly refuses.
    settings.DEBUG = True


@pytest.fixture
def output(debug) -> str:
    return load_demo()


def user(username: str):
    return get_user_model().objects.get(username=username)


def ala() -> Organisation:
    return Organisation.objects.get(code="ALA")


def latest(person: Person, authority: str) -> RefugeeStatusDecision:
    return person.status_decisions.filter(authority=authority).latest("decided_on")


def test_group_case_follows_the_story(output):
    case = Case.objects.get(organisation=ala(), reference="ALA-2010-001")
    principals = Person.objects.filter(
        case_parties__case=case, case_parties__role=PartyRole.PRINCIPAL
    )
    assert principals.count() >= 12

    detentions = case.detentions.all()
    assert detentions.count() >= 12
    assert {x.basis for x in detentions} == {DetentionBasis.PROVISIONAL_ARREST_EXTRADITION}
    assert all(d(2010, 6, 1) <= x.started_on <= d(2010, 6, 30) for x in detentions)
    ends = Counter(x.end_reason for x in detentions)
    assert ends[DetentionEndReason.RELEASED] == 1
    assert ends[DetentionEndReason.EXTRADITED] == detentions.count() - 1
    extradited = detentions.filter(end_reason=DetentionEndReason.EXTRADITED)
    assert {x.ended_on for x in extradited} == {d(2011, 6, 9)}

    requests = case.extradition_requests.all()
    statuses = Counter(r.status for r in requests)
    assert statuses[RequestStatus.SURRENDERED] == requests.count() - 1 > requests.count() / 2
    assert statuses[RequestStatus.REFUSED] + statuses[RequestStatus.WITHDRAWN] == 1
    assert {(r.requesting_state.code, r.requested_state.code, r.treaty) for r in requests} == {
        ("UZ", "KZ", "minsk_1993")
    }
    for request in requests:
        decisions = {x.stage: x for x in request.decisions.all()}
        prosecutor = decisions[DecisionStage.PROSECUTOR]
        assert prosecutor.outcome == DecisionOutcome.GRANTED
        assert (prosecutor.decided_on.year, prosecutor.decided_on.month) == (2010, 9)
        assert prosecutor.served_on > prosecutor.decided_on
        court = decisions[DecisionStage.FIRST_INSTANCE]
        assert (court.decided_on.year, court.decided_on.month) == (2011, 3)
        if request.status == RequestStatus.SURRENDERED:
            assert request.surrendered_on == d(2011, 6, 9)
            assert decisions[DecisionStage.APPEAL].outcome == DecisionOutcome.UPHELD
            assert court.outcome == DecisionOutcome.UPHELD

    for person in principals:
        unhcr = person.status_decisions.filter(authority=Authority.UNHCR_MANDATE)
        assert unhcr.filter(outcome=StatusOutcome.RECOGNISED, decided_on__year=2009).exists()
        assert latest(person, Authority.UNHCR_MANDATE).outcome == StatusOutcome.WITHDRAWN
        assert latest(person, Authority.UNHCR_MANDATE).decided_on.year == 2010
        national = latest(person, Authority.NATIONAL)
        assert national.outcome == StatusOutcome.REJECTED
        assert (national.decided_on.year, national.decided_on.month) == (2010, 8)
        appeal = latest(person, Authority.COURT)
        assert appeal.appeal_of == national
        assert appeal.outcome == StatusOutcome.REJECTED

    complaint = case.complaints.get()
    assert complaint.body == TreatyBody.CAT
    assert (complaint.submitted_on.year, complaint.submitted_on.month) == (2010, 12)
    assert set(complaint.complainants.all()) == set(principals)
    measure = complaint.interim_measures.get()
    assert (measure.granted_on.year, measure.granted_on.month) == (2010, 12)
    assert (measure.reaffirmed_on.year, measure.reaffirmed_on.month) == (2011, 5)
    assert measure.is_active_on(d(2011, 6, 9))  # the surrender breached it
    decision = complaint.decisions.get()
    assert (decision.kind, decision.outcome, decision.articles) == (
        "merits",
        CommitteeOutcome.VIOLATION,
        "3",
    )
    assert decision.adopted_on == d(2012, 6, 1)
    assert d(2012, 6, 10) <= decision.transmitted_on <= d(2012, 6, 20)


def test_single_cases_have_the_other_outcomes(output):
    single = Case.objects.filter(organisation=ala()).exclude(reference="ALA-2010-001")
    assert single.count() >= 3

    refused = [
        c
        for c in single
        if c.status == CaseStatus.CLOSED
        and c.extradition_requests.filter(status=RequestStatus.REFUSED).exists()
    ]
    assert refused, "no closed case with a refused extradition"
    refugee = refused[0].extradition_requests.get().person
    assert latest(refugee, Authority.UNHCR_MANDATE).outcome == StatusOutcome.RECOGNISED

    pending = single.filter(
        status=CaseStatus.OPEN, extradition_requests__status=RequestStatus.PENDING
    ).get()
    person = pending.extradition_requests.get().person
    arrest = pending.detentions.get()
    assert (arrest.basis, arrest.ended_on) == (DetentionBasis.PROVISIONAL_ARREST_EXTRADITION, None)
    # High risk (DESIGN §5): recognised by UNHCR, rejected nationally, a request pending.
    assert latest(person, Authority.UNHCR_MANDATE).outcome == StatusOutcome.RECOGNISED
    assert latest(person, Authority.NATIONAL).outcome == StatusOutcome.REJECTED

    released = single.filter(
        detentions__end_reason=DetentionEndReason.RELEASED,
        extradition_requests__status=RequestStatus.WITHDRAWN,
    )
    assert released.exists()

    assert single.filter(restricted=True).count() == 1
    restricted = single.get(restricted=True)
    assert restricted not in Case.objects.visible_to(user("ala-viewer"))
    assert restricted in Case.objects.visible_to(user("ala-caseworker"))


def test_organisations_users_and_the_lawyer(output):
    assert Organisation.objects.count() == 2
    for organisation in Organisation.objects.all():
        roles = set(organisation.memberships.values_list("role", flat=True))
        assert roles == {Role.ADMIN, Role.CASEWORKER, Role.VIEWER}
        assert organisation.cases.exists()
        assert organisation.people.count() >= 2
    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert all(u.check_password(DEMO_PASSWORD) for u in get_user_model().objects.all())

    lawyer = user("lawyer")
    assert not Membership.objects.filter(user=lawyer).exists()
    shared = Case.objects.visible_to(lawyer)
    assert shared.count() == 1
    case = shared.get()
    assert case.reference != "ALA-2010-001"
    assert CaseAccess.objects.get(user=lawyer).role == AccessRole.LAWYER
    assert Note.objects.filter(case=case, author=lawyer).exists()
    assert CaseEvent.objects.filter(case=case, actor=lawyer, kind="note.created").exists()


def test_other_organisation_sees_nothing_of_the_first(output):
    caseworker = user("bis-caseworker")
    assert not Case.objects.visible_to(caseworker).filter(organisation=ala()).exists()
    assert not Person.objects.visible_to(caseworker).filter(organisation=ala()).exists()
    assert Case.objects.visible_to(caseworker).exists()
    assert Person.objects.visible_to(caseworker).exists()


def test_names_are_spelt_in_several_scripts(output):
    cyrillic = PersonName.objects.filter(script=Script.CYRILLIC)
    assert cyrillic.count() >= 5
    assert all(CYRILLIC.search(n.name) for n in cyrillic)
    assert PersonName.objects.filter(script=Script.LATIN, kind=NameKind.MISSPELLING).exists()
    assert Person.objects.filter(birth_date_precision="year").exists()
    assert set(Person.objects.values_list("citizenships", flat=True)) <= {"UZ", "TJ"}
    wife = Relationship.objects.filter(kind="spouse").exclude(phone="")
    assert wife.exists()


def test_timeline_is_written_by_the_services(output):
    events = CaseEvent.objects.filter(case__reference="ALA-2010-001")
    kinds = Counter(events.values_list("kind", flat=True))
    assert kinds["extraditionrequest.surrendered"] == 13
    assert kinds["detention.ended"] == 14
    assert kinds["complaint.created"] == 1
    admin = user("ala-admin")
    assert set(events.values_list("actor", flat=True)) <= {admin.pk, user("ala-caseworker").pk}
    # Only the bootstrap of each organisation and its first admin has no acting user.
    assert CaseEvent.objects.filter(actor=None).count() == 4


def test_a_second_run_changes_nothing(output):
    models = [
        *apps.get_app_config("organisations").get_models(),
        *apps.get_app_config("people").get_models(),
        *apps.get_app_config("cases").get_models(),
        *apps.get_app_config("rulings").get_models(),
        get_user_model(),
    ]
    before = {m._meta.label: m.objects.count() for m in models}
    again = load_demo()
    assert {m._meta.label: m.objects.count() for m in models} == before
    assert before["cases.CaseEvent"] > 0
    assert "already loaded" in again


def test_output_lists_every_login(output):
    assert DEMO_PASSWORD in output
    for login in LOGINS:
        assert re.search(rf"^{re.escape(login.username)}\s+{DEMO_PASSWORD}\s+", output, re.M)
    assert re.search(r"^lawyer .* 1 case, 1 person", output, re.M)


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is False"):
        load_demo()
    assert not Organisation.objects.exists()
    assert "ala-admin" in load_demo(force=True)


def test_a_failure_leaves_nothing_half_loaded(debug, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("workspace.demo.bishkek_case", fail)
    with pytest.raises(RuntimeError):
        load_demo()
    assert not Organisation.objects.exists()
    assert not CaseEvent.objects.exists()
    assert not get_user_model().objects.exists()


def test_refuses_a_database_holding_a_demo_username(debug):
    get_user_model().objects.create_user(username="lawyer")
    with pytest.raises(CommandError, match="lawyer"):
        load_demo()
    assert not Organisation.objects.exists()
