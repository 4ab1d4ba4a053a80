"""The private iCalendar feed (issue 3 point 6): its document, its secret token, its page."""

import datetime
import hashlib
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from cases.choices import DeadlineStatus, DetentionBasis
from cases.models import CalendarFeed, Deadline
from cases.services import (
    calendar_feed_create,
    calendar_feed_regenerate,
    calendar_feed_revoke,
    detention_create,
)
from people.models import PersonName
from tests import factories as f
from tests.factories import (
    CalendarFeedFactory,
    ManualDeadlineFactory,
    RuleDeadlineFactory,
)
from tests.helpers import own_queries

# The feed, its last-used stamp, the deadlines with their cases and rules.
FEED_QUERIES = 3

# Distinctive names that must never leave the app through a calendar.
NAMES = {
    "family_name": "Zhumabekovaxq",
    "given_name": "Oydinoyqz",
    "patronymic": "Rustamovnaqj",
    "name_native": "Жумабековаэщ",
}
ALIAS = "Dzhumabekovawy"
RESPONSIBLE = {"first_name": "Gulnarazv", "last_name": "Tokhtarovakw"}


def feed_url(token: str) -> str:
    return reverse("cases:calendar_feed_ics", args=[token])


def fetch(token: str, client=None):
    return (client or Client()).get(feed_url(token))


def events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def login(client, user, *, staff: bool = False):
    """Sign ``user`` in; saving stores the password the factory set, which the session checks."""
    user.is_staff = staff
    user.save()
    client.force_login(user)
    return client


def feed_for(user) -> str:
    return calendar_feed_create(acting_user=user)[1]


@pytest.fixture
def named_person(world):
    person = f.PersonFactory(organisation=world.org, **NAMES)
    PersonName.objects.create(person=person, name=ALIAS, script="latin", kind="alias")
    f.CasePartyFactory(case=world.case, person=person)
    return person


@pytest.fixture
def deadlines(world, named_person):
    """Open and closed deadlines on every kind of case ``world`` has."""
    responsible = f.UserFactory(username="responsible", **RESPONSIBLE)
    open_rule = RuleDeadlineFactory(case=world.case, person=named_person, responsible=responsible)
    return {
        "rule": open_rule,
        "hours": RuleDeadlineFactory(
            case=world.case,
            code="kz.identity_check",
            basis=datetime.date(2030, 2, 1),
            person=named_person,
        ),
        "manual": ManualDeadlineFactory(
            case=world.case,
            person=named_person,
            title=f"Hearing of {NAMES['given_name']} {NAMES['family_name']}",
            explanation=f"Set by the judge at {NAMES['family_name']}'s hearing.",
        ),
        "met": RuleDeadlineFactory(
            case=world.case,
            code="cat.follow_up",
            status=DeadlineStatus.MET,
            met_on=datetime.date(2030, 1, 20),
        ),
        "cancelled": RuleDeadlineFactory(
            case=world.case, code="hrc.state_reply", status=DeadlineStatus.CANCELLED
        ),
        "restricted": RuleDeadlineFactory(case=world.restricted),
        "unshared": RuleDeadlineFactory(case=world.unshared),
        "other": RuleDeadlineFactory(case=world.other_case),
    }


def ids(*deadlines) -> set[str]:
    return {str(d.pk) for d in deadlines}


# --- The document -----------------------------------------------------------------------------


def test_the_feed_parses_and_holds_one_event_per_open_visible_deadline(world, deadlines):
    response = fetch(feed_for(world.caseworker))

    assert response.status_code == 200
    found = events(response)
    assert set(found) == ids(
        deadlines["rule"], deadlines["hours"], deadlines["manual"], deadlines["unshared"]
    )
    assert all(str(event["UID"]).endswith("@testserver") for event in found.values())


def test_the_response_is_a_private_uncached_calendar_needing_no_session(world, deadlines):
    response = fetch(feed_for(world.caseworker))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}
    assert not response.cookies


# Who sees which of ``deadlines``: the same data for each user, only the user changes.
VISIBLE = {
    "admin": {"rule", "hours", "manual", "restricted", "unshared"},
    "caseworker": {"rule", "hours", "manual", "unshared"},
    "viewer": {"rule", "hours", "manual", "unshared"},
    "lawyer": {"rule", "hours", "manual"},
    "other_caseworker": {"other"},
    "other_admin": {"other"},
    "stranger": set(),
}


@pytest.mark.parametrize("who", VISIBLE)
def test_each_user_sees_the_open_deadlines_of_the_cases_they_can_see(world, deadlines, who):
    found = events(fetch(feed_for(getattr(world, who))))

    assert set(found) == ids(*(deadlines[key] for key in VISIBLE[who]))


def test_no_persons_name_appears_anywhere_in_the_feed(world, deadlines, named_person):
    world.case.title = f"Extradition of {NAMES['family_name']} {NAMES['given_name']}"
    world.case.save()
    overridden = deadlines["rule"]
    overridden.due_at += datetime.timedelta(days=10)
    overridden.override_reason = f"Letter about {NAMES['family_name']} names another date."
    overridden.save()

    response = fetch(feed_for(world.admin))

    # Lines longer than 75 octets are folded (RFC 5545 §3.1): unfold before searching.
    content = response.content.replace(b"\r\n ", b"").decode().casefold()
    texts = [*NAMES.values(), ALIAS, *RESPONSIBLE.values(), "responsible"]
    found = events(response)
    assert len(found) == 5
    assert "Due date overridden by hand" in str(found[str(overridden.pk)]["DESCRIPTION"])
    for text in texts:
        assert text.casefold() not in content, text


def test_an_event_says_which_case_and_what_is_due_and_how_it_was_computed(world, deadlines):
    found = events(fetch(feed_for(world.caseworker)))

    rule = found[str(deadlines["rule"].pk)]
    assert str(rule["SUMMARY"]) == "ALA-2010-001: State's reply to the CAT complaint"
    assert str(rule["DESCRIPTION"]) == deadlines["rule"].explanation
    assert "2030-01-15" in str(rule["DESCRIPTION"])
    # An all-day event on the due day.
    assert rule.decoded("DTSTART") == deadlines["rule"].due_date
    assert rule.decoded("DTEND") == deadlines["rule"].due_date + datetime.timedelta(days=1)
    assert rule.decoded("DTSTAMP").tzinfo is not None


def test_a_manual_deadline_shows_neither_its_title_nor_its_explanation(world, deadlines):
    event = events(fetch(feed_for(world.caseworker)))[str(deadlines["manual"].pk)]

    assert str(event["SUMMARY"]) == "ALA-2010-001: Deadline"
    assert str(event["DESCRIPTION"]) == "Entered by hand: due 2030-03-01 (UTC)."


def test_an_hour_based_deadline_is_a_timed_event(world, deadlines):
    event = events(fetch(feed_for(world.caseworker)))[str(deadlines["hours"].pk)]

    # KZ CPC art. 587(2): 72 hours from 00:00 on 1 February 2030 in Almaty (UTC+5).
    assert event.decoded("DTSTART") == datetime.datetime(2030, 2, 3, 19, 0, tzinfo=datetime.UTC)
    assert "DTEND" not in event
    assert str(event["SUMMARY"]) == "ALA-2010-001: Identity check after arrest"


def test_each_reminder_is_an_alarm_at_the_start_of_its_day(world, deadlines):
    found = events(fetch(feed_for(world.caseworker)))

    day = found[str(deadlines["rule"].pk)]
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in day.walk("VALARM"))
    offsets = sorted(deadlines["rule"].reminders, reverse=True)
    assert triggers == [-datetime.timedelta(days=n) for n in offsets]
    hours = found[str(deadlines["hours"].pk)]
    # Due at 00:00 on 4 February in Almaty; reminders 1 day before and on the day, at 00:00.
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in hours.walk("VALARM"))
    assert triggers == [-datetime.timedelta(days=1), datetime.timedelta(0)]


def test_deadlines_computed_by_the_engine_appear_with_their_arithmetic(world, named_person):
    detention_create(
        acting_user=world.caseworker,
        case=world.case,
        person=named_person,
        basis=DetentionBasis.PROVISIONAL_ARREST_EXTRADITION,
        started_on=datetime.date(2030, 6, 10),
    )

    response = fetch(feed_for(world.caseworker))

    summaries = sorted(str(e["SUMMARY"]) for e in events(response).values())
    assert summaries == [
        "ALA-2010-001: End of provisional arrest pending extradition",
        "ALA-2010-001: Identity check after arrest",
    ]
    assert NAMES["family_name"].encode() not in response.content.replace(b"\r\n ", b"")


@pytest.mark.parametrize("count", [1, 20])
def test_the_feed_costs_the_same_queries_for_1_or_20_deadlines(world, count):
    person = f.CasePartyFactory(case=world.case).person
    for day in range(count):
        RuleDeadlineFactory(case=world.case, person=person, basis=datetime.date(2030, 1, 1 + day))
    ManualDeadlineFactory.create_batch(count, case=world.unshared)
    token = feed_for(world.caseworker)

    with CaptureQueriesContext(connection) as queries:
        response = fetch(token)
    assert len(own_queries(queries)) == FEED_QUERIES  # and the read audit's one INSERT

    assert len(events(response)) == 2 * count


# --- The token --------------------------------------------------------------------------------


def test_the_token_is_stored_only_as_its_hash(world):
    feed, token = calendar_feed_create(acting_user=world.caseworker)

    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    row = CalendarFeed.objects.filter(pk=feed.pk).values().get()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in str(value) for value in row.values())


def test_an_unknown_and_a_revoked_token_answer_the_same_404(world):
    feed, token = calendar_feed_create(acting_user=world.caseworker)
    calendar_feed_revoke(acting_user=world.caseworker, feed=feed)

    revoked = fetch(token)
    unknown = fetch("A" * 43)

    assert revoked.status_code == unknown.status_code == 404
    assert revoked.content == unknown.content
    assert token.encode() not in revoked.content


def test_regenerating_revokes_the_old_address_and_the_new_one_works(world, deadlines):
    old = feed_for(world.caseworker)
    assert fetch(old).status_code == 200

    new_feed, new = calendar_feed_regenerate(acting_user=world.caseworker)

    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    assert CalendarFeed.objects.filter(user=world.caseworker).count() == 2
    assert list(CalendarFeed.objects.active().filter(user=world.caseworker)) == [new_feed]


def test_a_disabled_users_feed_answers_404(world, deadlines):
    token = feed_for(world.caseworker)
    world.caseworker.is_active = False
    world.caseworker.save()

    assert fetch(token).status_code == 404


def test_fetching_stamps_the_feed_as_used(world):
    feed, token = calendar_feed_create(acting_user=world.caseworker)

    fetch(token)

    feed.refresh_from_db()
    assert feed.last_used_at is not None


# --- The services -----------------------------------------------------------------------------


def test_a_second_feed_is_refused_until_regenerated(world):
    calendar_feed_create(acting_user=world.caseworker)

    with pytest.raises(ValidationError, match="regenerate"):
        calendar_feed_create(acting_user=world.caseworker)
    assert CalendarFeed.objects.filter(user=world.caseworker).count() == 1


def test_an_anonymous_user_gets_no_feed(db):
    with pytest.raises(PermissionDenied):
        calendar_feed_create(acting_user=AnonymousUser())


# Who may revoke the caseworker's feed.
REVOKE = {
    "caseworker": True,
    "admin": True,  # an admin of the caseworker's organisation (a lost phone)
    "viewer": False,
    "lawyer": False,
    "other_admin": False,
    "stranger": False,
}


@pytest.mark.parametrize(("who", "allowed"), REVOKE.items())
def test_who_may_revoke_a_feed(world, who, allowed):
    feed, token = calendar_feed_create(acting_user=world.caseworker)
    user = getattr(world, who)

    if allowed:
        calendar_feed_revoke(acting_user=user, feed=feed)
        assert fetch(token).status_code == 404
        feed.refresh_from_db()
        assert feed.revoked_by == user
    else:
        with pytest.raises(PermissionDenied):
            calendar_feed_revoke(acting_user=user, feed=feed)
        assert fetch(token).status_code == 200


# --- The page ---------------------------------------------------------------------------------

PAGE = reverse("cases:calendar_feed")


def test_the_page_needs_a_login(client, db):
    for response in (client.get(PAGE), client.post(PAGE, {"action": "create"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not CalendarFeed.objects.exists()


def test_creating_a_feed_on_the_page_shows_its_address_once(client, world, deadlines):
    login(client, world.lawyer)
    assert "You have no calendar feed." in client.get(PAGE).content.decode()

    response = client.post(PAGE, {"action": "create"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(
        r'value="(http://testserver/calendar/([A-Za-z0-9_-]+)\.ics)"', response.content.decode()
    )
    assert match, response.content.decode()
    token = match.group(2)
    assert f'href="webcal://testserver/calendar/{token}.ics"' in response.content.decode()
    assert set(events(fetch(token))) == ids(
        deadlines["rule"], deadlines["hours"], deadlines["manual"]
    )
    again = client.get(PAGE).content.decode()
    assert token not in again
    assert "You have a calendar feed" in again


def test_regenerating_on_the_page_replaces_the_address(client, world):
    old = feed_for(world.caseworker)
    login(client, world.caseworker)

    response = client.post(PAGE, {"action": "regenerate"})

    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", response.content.decode()).group(1)
    assert token != old
    assert fetch(old).status_code == 404
    assert fetch(token).status_code == 200


def test_creating_a_second_feed_on_the_page_says_to_regenerate(client, world):
    token = feed_for(world.caseworker)
    login(client, world.caseworker)

    response = client.post(PAGE, {"action": "create"}, follow=True)

    assert "regenerate it to get a new address" in response.content.decode()
    assert CalendarFeed.objects.filter(user=world.caseworker).count() == 1
    assert fetch(token).status_code == 200


def test_revoking_on_the_page_stops_the_address(client, world):
    token = feed_for(world.caseworker)
    login(client, world.caseworker)

    response = client.post(reverse("cases:calendar_feed_revoke"), follow=True)

    assert "You have no calendar feed." in response.content.decode()
    assert fetch(token).status_code == 404


def test_the_page_only_touches_the_users_own_feed(client, world):
    other = feed_for(world.admin)
    login(client, world.caseworker)

    client.post(reverse("cases:calendar_feed_revoke"))
    client.post(PAGE, {"action": "regenerate"})

    assert fetch(other).status_code == 200


def test_the_page_refuses_a_post_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    login(client, world.caseworker)

    assert client.post(PAGE, {"action": "create"}).status_code == 403
    assert client.post(reverse("cases:calendar_feed_revoke")).status_code == 403
    assert not CalendarFeed.objects.exists()


def test_an_unknown_action_is_a_bad_request(client, world):
    login(client, world.caseworker)

    assert client.post(PAGE, {"action": "steal"}).status_code == 400
    assert not CalendarFeed.objects.exists()


# --- The admin --------------------------------------------------------------------------------


def test_the_admin_lists_own_and_members_feeds_and_revokes_them(client, world):
    mine = CalendarFeedFactory(user=world.admin, token="a" * 43)
    member = CalendarFeedFactory(user=world.viewer, token="b" * 43)
    outsider = CalendarFeedFactory(user=world.other_caseworker, token="c" * 43)
    login(client, world.admin, staff=True)
    changelist = reverse("admin:cases_calendarfeed_changelist")

    listed = client.get(changelist).context["cl"].result_list
    response = client.post(
        changelist,
        {"action": "revoke_selected", "_selected_action": [member.pk, outsider.pk]},
    )

    assert set(listed) == {mine, member}
    assert response.status_code == 302
    assert fetch("b" * 43).status_code == 404
    assert fetch("c" * 43).status_code == 200  # not listed for this admin: not selectable
    assert client.get(reverse("admin:cases_calendarfeed_add")).status_code == 403


def test_a_caseworker_sees_only_their_own_feed_in_the_admin(client, world):
    mine = CalendarFeedFactory(user=world.caseworker)
    CalendarFeedFactory(user=world.admin)
    login(client, world.caseworker, staff=True)

    response = client.get(reverse("admin:cases_calendarfeed_changelist"))

    assert list(response.context["cl"].result_list) == [mine]
    assert client.get(reverse("admin:cases_calendarfeed_change", args=[mine.pk])).status_code == 200


def test_a_computed_deadline_shows_its_rules_title_not_its_own(world):
    """``Deadline.title`` of a computed deadline is the rule's title, never typed: the feed
    takes the rule's own title, so renaming the deadline row cannot put a name in it."""
    deadline = RuleDeadlineFactory(case=world.case, title="Renamed by hand: Oydinoyqz")

    content = fetch(feed_for(world.caseworker)).content

    assert Deadline.objects.filter(pk=deadline.pk).exists()
    assert b"Oydinoyqz" not in content.replace(b"\r\n ", b"")
