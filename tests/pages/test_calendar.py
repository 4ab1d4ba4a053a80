"""The deadline calendar (issue 5): a month of open deadlines on their due days, month
navigation, a list for phones, and the user's private feed with its regenerate button."""

import datetime
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.choices import DeadlineStatus
from cases.models import CalendarFeed
from tests import factories as f
from tests.pages.matrix import EVERYONE, ActionMatrix, PageMatrix, client_for

CALENDAR = reverse("cases:calendar")
FEED_PAGE = reverse("cases:calendar_feed")


def due(day: datetime.date, tz: str = "Asia/Almaty") -> datetime.datetime:
    """The end of ``day`` in ``tz``, as the engine stores a due moment."""
    end = datetime.datetime.combine(day, datetime.time(23, 59, 59, 999999))
    return end.replace(tzinfo=zoneinfo.ZoneInfo(tz))


def deadline_on(case, day: datetime.date, tz: str = "Asia/Almaty", **fields):
    fields.setdefault("title", f"Due {day} on {case.reference}")
    return f.ManualDeadlineFactory(case=case, due_at=due(day, tz), timezone=tz, **fields)


def day_of(response, day: datetime.date):
    for week in response.context["weeks"]:
        for cell in week:
            if cell.date == day:
                return cell
    raise AssertionError(f"{day} is not on the page")


class TestCalendarPage(PageMatrix):
    url_name = "cases:calendar"
    # Everyone signed in has a calendar; each sees only the deadlines of the cases they can see.
    status = EVERYONE
    # Session, user, the deadlines with their cases, the user's feed, the header's unread count.
    query_budget = 5

    def add_row(self, world):
        deadline_on(world.case, timezone.localdate())


class TestCalendarFeedPage(PageMatrix):
    url_name = "cases:calendar_feed"
    status = EVERYONE
    # Session, user, the user's feed, the header's unread count: no rows.
    query_budget = 4

    def add_row(self, world):
        deadline_on(world.case, timezone.localdate())


class TestCalendarFeedRevoke(ActionMatrix):
    url_name = "cases:calendar_feed_revoke"
    # Everyone may revoke their own feed (and no one anyone else's).
    allowed = dict.fromkeys(
        ["admin", "caseworker", "viewer", "lawyer", "other_caseworker", "other_admin", "stranger"],
        True,
    )

    def url(self, world):
        return reverse(self.url_name)


def test_a_deadline_is_on_its_due_day_and_links_to_the_case(world):
    deadline = deadline_on(world.case, datetime.date(2030, 3, 12), title="State's reply")

    response = client_for(world.viewer).get(CALENDAR, {"month": "2030-03"})

    assert response.status_code == 200
    assert day_of(response, datetime.date(2030, 3, 12)).deadlines == [deadline]
    assert day_of(response, datetime.date(2030, 3, 11)).deadlines == []
    content = response.content.decode()
    case_page = reverse("workspace:case_detail", args=[world.case.pk])
    assert f'href="{case_page}#deadline-{deadline.pk}"' in content
    assert "<strong>ALA-2010-001</strong>: State&#x27;s reply" in content
    # The same deadline in the phone's list.
    assert content.count(f"#deadline-{deadline.pk}") == 2


def test_the_due_day_is_the_day_where_the_deadline_runs(world):
    # The end of 31 March in New York is 1 April in UTC: the deadline is due on 31 March.
    deadline = deadline_on(world.case, datetime.date(2030, 3, 31), tz="America/New_York")

    march = client_for(world.caseworker).get(CALENDAR, {"month": "2030-03"})
    april = client_for(world.caseworker).get(CALENDAR, {"month": "2030-04"})

    assert day_of(march, datetime.date(2030, 3, 31)).deadlines == [deadline]
    assert day_of(march, datetime.date(2030, 3, 30)).deadlines == []
    assert march.context["month_count"] == 1
    # April's grid starts on Monday 1 April 2030: 31 March is not on it.
    assert april.context["month_count"] == 0


def test_only_open_deadlines_of_visible_cases(world):
    day = datetime.date(2030, 3, 12)
    deadline_on(world.case, day, title="Visible")
    deadline_on(world.case, day, title="Met", status=DeadlineStatus.MET, met_on=day)
    deadline_on(world.restricted, day, title="Restricted")
    deadline_on(world.other_case, day, title="Other organisation")

    response = client_for(world.caseworker).get(CALENDAR, {"month": "2030-03"})

    assert [d.title for d in day_of(response, day).deadlines] == ["Visible"]
    content = response.content.decode()
    for hidden in ("Met", "Restricted", "Other organisation"):
        assert f": {hidden}<" not in content, hidden
    lawyer = client_for(world.lawyer).get(CALENDAR, {"month": "2030-03"})
    assert [d.title for d in day_of(lawyer, day).deadlines] == ["Visible"]


def test_overdue_deadlines_are_marked_in_words(world):
    past = timezone.localdate() - datetime.timedelta(days=3)
    deadline_on(world.case, past, title="Late")

    response = client_for(world.caseworker).get(CALENDAR, {"month": past.strftime("%Y-%m")})

    overdue = r'Late(</a>)? <span class="badge badge--overdue">overdue</span>'
    # In the grid and in the phone's list.
    assert len(re.findall(overdue, response.content.decode())) == 2


def test_this_month_by_default_with_today_marked(world):
    today = timezone.localdate()

    response = client_for(world.caseworker).get(CALENDAR)

    assert response.context["month"] == today.replace(day=1)
    assert day_of(response, today).is_today
    content = response.content.decode()
    assert content.count('aria-current="date"') == 1  # the grid; the list has no deadline today
    assert f'<time datetime="{today:%Y-%m-%d}">{today.day}</time> <span class="badge' in content


def test_weeks_start_on_monday(world):
    response = client_for(world.caseworker).get(CALENDAR, {"month": "2026-11"})

    weeks = response.context["weeks"]
    assert weeks[0][0].date == datetime.date(2026, 10, 26)  # a Monday
    assert weeks[-1][-1].date == datetime.date(2026, 12, 6)  # a Sunday
    assert not weeks[0][0].in_month
    assert 'class="is-other-month"' in response.content.decode()


@pytest.mark.parametrize(
    ("month", "previous", "following"),
    [
        ("2030-03", "2030-02", "2030-04"),
        ("2030-01", "2029-12", "2030-02"),
        ("2030-12", "2030-11", "2031-01"),
    ],
)
def test_month_navigation(world, month, previous, following):
    content = client_for(world.caseworker).get(CALENDAR, {"month": month}).content.decode()

    assert f'href="?month={previous}" rel="prev"' in content
    assert f'href="?month={following}" rel="next"' in content
    assert f'value="{month}"' in content  # the month picker


@pytest.mark.parametrize(
    "month", ["2030-13", "2030-00", "2030-3", "March", "2030-03-01", "0000-01"]
)
def test_a_bad_month_is_a_400_naming_the_parameter(world, month):
    response = client_for(world.caseworker).get(CALENDAR, {"month": month})

    assert response.status_code == 400
    assert "“month”" in response.content.decode()


def test_the_phone_list_and_its_empty_state(world):
    deadline_on(world.case, datetime.date(2030, 3, 12))

    busy = client_for(world.caseworker).get(CALENDAR, {"month": "2030-03"}).content.decode()
    quiet = client_for(world.caseworker).get(CALENDAR, {"month": "2030-05"}).content.decode()

    assert '<div class="calendar-list">' in busy
    assert [
        d.date
        for d in client_for(world.caseworker)
        .get(CALENDAR, {"month": "2030-03"})
        .context["month_days"]
    ] == [datetime.date(2030, 3, 12)]
    assert "No open deadline falls due in May 2030." in quiet
    assert "0 open deadlines this month." in quiet
    assert "1 open deadline this month." in busy


def test_the_feed_section_without_a_feed(world):
    content = client_for(world.lawyer).get(CALENDAR).content.decode()

    assert "You have no calendar feed." in content
    assert 'name="action" value="create"' in content
    assert f'action="{FEED_PAGE}"' in content


def test_regenerating_from_the_calendar_shows_the_new_address_once(world):
    f.CalendarFeedFactory(user=world.caseworker)
    client = client_for(world.caseworker)
    content = client.get(CALENDAR).content.decode()
    assert "You have a calendar feed" in content
    assert 'name="action" value="regenerate"' in content

    response = client.post(FEED_PAGE, {"action": "regenerate"})

    match = re.search(
        r'value="http://testserver/calendar/([A-Za-z0-9_-]+)\.ics"', response.content.decode()
    )
    assert match
    assert match.group(1) not in client.get(CALENDAR).content.decode()
    assert match.group(1) not in client.get(FEED_PAGE).content.decode()


def test_revoking_from_the_calendar_returns_to_it(world):
    f.CalendarFeedFactory(user=world.caseworker)
    client = client_for(world.caseworker)

    response = client.post(reverse("cases:calendar_feed_revoke"), {"next": CALENDAR})

    assert response["Location"] == CALENDAR
    assert not CalendarFeed.objects.active().filter(user=world.caseworker).exists()
    assert "You have no calendar feed." in client.get(CALENDAR).content.decode()
    # Anywhere else: the feed page.
    f.CalendarFeedFactory(user=world.caseworker)
    elsewhere = client.post(
        reverse("cases:calendar_feed_revoke"), {"next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == FEED_PAGE


def test_the_calendar_renders_in_russian(world):
    deadline_on(world.case, timezone.localdate())
    world.caseworker.save()
    client = Client(headers={"accept-language": "ru"})
    client.force_login(world.caseworker)

    response = client.get(CALENDAR)

    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
