"""Email notifications of alerts: to the responsible user and the case lead, once, after commit,
with a subject that says what is due when and never names a person; and never about another
organisation's case."""

import datetime
import zoneinfo
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.deadlines.sweep import deadlines_sweep
from cases.models import Alert, Case, Deadline
from cases.services import (
    detention_create,
    extradition_request_create,
    extradition_request_surrender,
)
from cases.services.alerts import alert_notify
from cases.services.deadlines import deadline_create
from rulings.services import committee_decision_record, complaint_submit, interim_measure_record
from tests import factories as f
from tests.helpers import nothing_written

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
# Distinctive names, so that finding any of them in a subject cannot be a coincidence.
PERSON = {
    "family_name": "Yusupbekova",
    "given_name": "Gulnara",
    "patronymic": "Toktarovna",
    "name_native": "Юсупбекова Гульнара",
}
USER_NAMES = {
    "caseworker": ("Saltanat", "Bekmukhambetova"),
    "admin": ("Dariga", "Nurmagambetova"),
    "other_caseworker": ("Zhanar", "Kuanyshbayeva"),
}
NAMES = [*PERSON.values(), *(n for pair in USER_NAMES.values() for n in pair)]


@pytest.fixture(autouse=True)
def people(world):
    """Leads for both organisations' cases, and names on everyone."""
    for username, (first, last) in USER_NAMES.items():
        user = getattr(world, username)
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    Case.objects.filter(pk=world.case.pk).update(lead=world.caseworker)
    Case.objects.filter(pk=world.other_case.pk).update(lead=world.other_caseworker)
    world.case.refresh_from_db()
    world.other_case.refresh_from_db()


@pytest.fixture
def eager_celery(settings):
    """Run ``alert_notify_task.delay`` at once, in this process."""
    from casetracker.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def _person(case):
    return f.CasePartyFactory(
        case=case, person=f.PersonFactory(organisation=case.organisation, **PERSON)
    ).person


def _follow_up(world, case=None, user=None) -> Deadline:
    """CAT Views transmitted 15 June 2012: the follow-up report is due 13 September 2012."""
    case, user = case or world.case, user or world.caseworker
    complaint = complaint_submit(
        acting_user=user,
        case=case,
        body="CAT",
        state_party="KZ",
        submitted_on=date(2011, 8, 1),
        complainants=[_person(case)],
    )
    views = committee_decision_record(
        acting_user=user,
        complaint=complaint,
        kind="merits",
        adopted_on=date(2012, 6, 1),
        outcome="violation",
        transmitted_on=date(2012, 6, 15),
    )
    return Deadline.objects.get(rule__code="cat.follow_up", subject_id=views.pk)


def _manual(world, **fields) -> Deadline:
    return deadline_create(
        acting_user=world.caseworker,
        case=world.case,
        title="Hearing of Gulnara Yusupbekova at the city court",
        due_on=date(2012, 5, 10),
        **fields,
    )


def _notify_all() -> None:
    for alert_id in Alert.objects.values_list("id", flat=True):
        alert_notify(alert_id=alert_id)


def _only_alert(**filters) -> Alert:
    return Alert.objects.get(**filters)


def test_an_alert_is_emailed_to_the_responsible_user_and_the_lead(world, mailoutbox):
    _manual(world, responsible=world.admin)
    deadlines_sweep(now=datetime.datetime(2012, 5, 10, 9, tzinfo=ALMATY))
    assert alert_notify(alert_id=_only_alert(kind="due").pk) is True
    [email] = mailoutbox
    assert sorted(email.to) == sorted([world.admin.email, world.caseworker.email])
    assert email.subject == "[Casetracker] ALA-2010-001: Deadline due 2012-05-10"
    assert "ALA-2010-001" in email.body


@pytest.mark.parametrize(
    ("now", "subject"),
    [
        (
            datetime.datetime(2012, 8, 14, 9, tzinfo=ZURICH),
            "[Casetracker] ALA-2010-001: State's follow-up report on the CAT decision due "
            "2012-09-13",
        ),
        (
            datetime.datetime(2012, 9, 20, 9, tzinfo=ZURICH),
            "[Casetracker] ALA-2010-001: OVERDUE since 2012-09-13: State's follow-up report on "
            "the CAT decision",
        ),
    ],
)
def test_the_subject_says_what_is_due_when(world, mailoutbox, now, subject):
    _follow_up(world)
    deadlines_sweep(now=now)
    _notify_all()
    [email] = mailoutbox
    assert email.subject == subject
    assert email.to == [world.caseworker.email]


def test_a_deadline_that_ends_at_midnight_gives_the_hour(world, mailoutbox):
    detention_create(
        acting_user=world.caseworker,
        case=world.case,
        person=_person(world.case),
        basis="provisional_arrest_extradition",
        started_on=date(2010, 6, 10),
    )
    # 72 hours end at 00:00 on the 13th: the 12th is the last day to act, so "due today" then.
    deadlines_sweep(now=datetime.datetime(2010, 6, 12, 9, tzinfo=ALMATY))
    _notify_all()
    [email] = mailoutbox
    assert email.subject == (
        "[Casetracker] ALA-2010-001: Identity check after arrest due 2010-06-13 00:00 Asia/Almaty"
    )
    assert "is due today: by 2010-06-13 00:00 Asia/Almaty." in email.body


def test_no_subject_names_a_person(world, mailoutbox):
    person = _person(world.case)
    _manual(world, responsible=world.admin, person=person)
    _follow_up(world)
    complaint = complaint_submit(
        acting_user=world.caseworker,
        case=world.case,
        body="HRC",
        state_party="KZ",
        submitted_on=date(2011, 8, 1),
        complainants=[person],
    )
    interim_measure_record(
        acting_user=world.caseworker, complaint=complaint, granted_on=date(2011, 8, 5)
    )
    request = extradition_request_create(
        acting_user=world.caseworker,
        case=world.case,
        person=person,
        requesting_state="UZ",
        requested_state="KZ",
        received_on=date(2011, 6, 20),
    )
    extradition_request_surrender(
        acting_user=world.caseworker, request=request, surrendered_on=date(2012, 1, 10)
    )
    for day in (date(2012, 4, 1), date(2012, 5, 10), date(2012, 9, 12), date(2013, 1, 1)):
        deadlines_sweep(now=datetime.datetime.combine(day, datetime.time(9), tzinfo=ALMATY))
    _notify_all()
    kinds = set(Alert.objects.values_list("kind", flat=True))
    assert kinds == {"reminder", "due", "overdue", "interim_measure_breach"}
    assert len(mailoutbox) == Alert.objects.count()
    for email in mailoutbox:
        assert not [n for n in NAMES if n.lower() in email.subject.lower()], email.subject


def test_an_alert_is_sent_once_however_often_it_is_notified(world, mailoutbox):
    _follow_up(world)
    deadlines_sweep(now=datetime.datetime(2012, 9, 13, 9, tzinfo=ZURICH))
    alert = _only_alert(kind="due")
    assert alert_notify(alert_id=alert.pk) is True
    assert alert_notify(alert_id=str(alert.pk)) is False
    assert len(mailoutbox) == 1
    alert.refresh_from_db()
    assert alert.notified_at is not None


def test_the_sweep_notifies_after_commit(
    world, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    _follow_up(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert deadlines_sweep(now=datetime.datetime(2012, 9, 13, 9, tzinfo=ZURICH)) == 1
        assert not mailoutbox  # nothing is sent before the alert is committed
    assert len(callbacks) == 1
    [email] = mailoutbox
    assert "due 2012-09-13" in email.subject
    assert _only_alert(kind="due").notified_at is not None


def test_a_lost_notification_is_sent_by_a_later_sweep(
    world, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    now = timezone.now()
    due_on = now.astimezone(ALMATY).date() + datetime.timedelta(days=3)
    deadline_create(acting_user=world.caseworker, case=world.case, title="Hearing", due_on=due_on)
    # The sweep commits the alert but its message to the worker is lost: nothing runs.
    assert deadlines_sweep(now=now) == 1
    alert = _only_alert(kind="reminder", offset_days=7)
    assert not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=now + datetime.timedelta(minutes=11)) == 0
    [email] = mailoutbox
    assert email.subject == f"[Casetracker] ALA-2010-001: Deadline due {due_on.isoformat()}"
    alert.refresh_from_db()
    assert alert.notified_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=now + datetime.timedelta(minutes=22))
    assert len(mailoutbox) == 1


def test_only_users_who_can_see_the_case_are_emailed(world, mailoutbox):
    _manual(world, responsible=world.admin)
    # The case becomes restricted: its lead, a caseworker of the organisation, no longer sees it.
    Case.objects.filter(pk=world.case.pk).update(restricted=True)
    deadlines_sweep(now=datetime.datetime(2012, 5, 10, 9, tzinfo=ALMATY))
    _notify_all()
    [email] = mailoutbox
    assert email.to == [world.admin.email]


def test_the_responsible_user_must_see_the_case(world):
    with nothing_written(), pytest.raises(ValidationError) as error:
        _manual(world, responsible=world.other_caseworker)
    assert "responsible" in error.value.message_dict


def test_another_organisations_deadlines_never_reach_a_user(
    world, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    _follow_up(world)
    _manual(world, responsible=world.admin)
    _follow_up(world, case=world.other_case, user=world.other_caseworker)
    deadline_create(
        acting_user=world.other_admin,
        case=world.other_case,
        title="Hearing",
        due_on=date(2012, 5, 10),
        responsible=world.other_admin,
    )
    with django_capture_on_commit_callbacks(execute=True):
        for month in (5, 8, 9, 10):
            deadlines_sweep(now=datetime.datetime(2012, month, 14, 9, tzinfo=ZURICH))
    ours = {world.caseworker.email, world.admin.email, world.viewer.email, world.lawyer.email}
    theirs = {world.other_caseworker.email, world.other_admin.email}
    assert mailoutbox and len(mailoutbox) == Alert.objects.count()
    for email in mailoutbox:
        if "ALA-2010-001" in email.subject:
            assert set(email.to) <= ours
        else:
            assert "BIS-2011-001" in email.subject and "ALA-" not in email.body
            assert set(email.to) <= theirs
    assert {r for e in mailoutbox for r in e.to} >= {*theirs, world.caseworker.email}

    theirs_alerts = Alert.objects.filter(case=world.other_case)
    assert theirs_alerts.exists()
    for user in (world.caseworker, world.admin, world.viewer, world.lawyer):
        visible = Alert.objects.visible_to(user)
        assert visible.exists() and not visible.filter(case=world.other_case).exists()
    for user in (world.other_caseworker, world.other_admin):
        assert set(Alert.objects.visible_to(user)) == set(theirs_alerts)
    assert not Alert.objects.visible_to(world.stranger).exists()
