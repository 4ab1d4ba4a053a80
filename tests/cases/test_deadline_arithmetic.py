"""The deadline arithmetic of DESIGN §6, property-based where it can be: months clamp to the
month's end, days and hours add exactly, roll-forward finds the next working day of the
calendar country, and the explanation says how the date was found."""

import calendar
import datetime
import zoneinfo
from datetime import date

import holidays
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cases.deadlines.arithmetic import END_OF_DAY, add_period, compute_due, next_working_day
from cases.models import DeadlineRule

UTC = datetime.UTC
ONE_DAY = datetime.timedelta(days=1)
# Zones with a daylight-saving change, a half-hour one, and Almaty's move from UTC+6 to UTC+5
# on 1 March 2024: "72 hours" must be 72 hours of real time across all of them.
ZONES = ["Asia/Almaty", "Europe/Zurich", "America/New_York", "Australia/Lord_Howe", "UTC"]
KZ = holidays.country_holidays("KZ")  # fills in each year on first lookup

dates = st.dates(date(1990, 1, 1), date(2060, 12, 31))


def _rule(**fields) -> DeadlineRule:
    """A rule that is never saved: the arithmetic needs no database."""
    return DeadlineRule(
        **{
            "code": "test.rule",
            "title": "A test deadline",
            "source": "Test r.1",
            "trigger_label": "basis",
            "period": 10,
            "unit": "days",
            "timezone": "Asia/Almaty",
            "roll_forward": False,
            "calendar_country": "",
            **fields,
        }
    )


# --- Months, days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("basis", "months", "due"),
    [
        (date(2010, 8, 31), 6, date(2011, 2, 28)),
        (date(2011, 8, 31), 6, date(2012, 2, 29)),  # leap year
        (date(2012, 1, 31), 1, date(2012, 2, 29)),
        (date(2012, 2, 29), 12, date(2013, 2, 28)),
        (date(2010, 3, 31), 1, date(2010, 4, 30)),
        (date(2010, 12, 31), 2, date(2011, 2, 28)),
        (date(2010, 6, 15), 6, date(2010, 12, 15)),
        (date(2010, 6, 15), 0, date(2010, 6, 15)),
    ],
)
def test_months_clamp_to_the_end_of_a_shorter_month(basis, months, due):
    assert add_period(basis, months, "months") == due


@given(basis=dates, months=st.integers(0, 240))
def test_months_land_in_the_target_month_on_the_same_or_its_last_day(basis, months):
    due = add_period(basis, months, "months")
    year, month0 = divmod(basis.year * 12 + basis.month - 1 + months, 12)
    assert (due.year, due.month) == (year, month0 + 1)  # never overshoots into the next month
    assert due.day == min(basis.day, calendar.monthrange(year, month0 + 1)[1])


@given(basis=dates, days=st.integers(0, 3650))
def test_days_add_exactly(basis, days):
    assert (add_period(basis, days, "days") - basis).days == days


def test_add_period_refuses_hours():
    with pytest.raises(ValueError, match="hours"):
        add_period(date(2010, 6, 10), 72, "hours")


@given(
    basis=dates,
    period=st.integers(0, 400),
    unit=st.sampled_from(["days", "months"]),
    zone=st.sampled_from(ZONES),
)
def test_the_due_moment_is_the_end_of_the_due_day_in_the_rules_zone(basis, period, unit, zone):
    tz = zoneinfo.ZoneInfo(zone)
    computation = compute_due(_rule(period=period, unit=unit, timezone=zone), basis)
    due_at = computation.due_at
    assert due_at.utcoffset() is not None
    local = due_at.astimezone(tz)
    assert (local.date(), local.time()) == (add_period(basis, period, unit), END_OF_DAY)
    # One microsecond later it is the next day there.
    after = (due_at.astimezone(UTC) + datetime.timedelta(microseconds=1)).astimezone(tz)
    assert after.date() == local.date() + ONE_DAY
    assert computation.basis_date == basis


@given(basis=dates, hours=st.integers(1, 24 * 60), zone=st.sampled_from(ZONES))
@example(basis=date(2024, 2, 28), hours=72, zone="Asia/Almaty")
@example(basis=date(2024, 3, 30), hours=72, zone="Europe/Zurich")
@example(basis=date(2024, 10, 26), hours=72, zone="Europe/Zurich")
def test_hours_run_from_the_start_of_the_basis_day_in_real_time(basis, hours, zone):
    start = datetime.datetime.combine(basis, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(zone))
    due_at = compute_due(_rule(period=hours, unit="hours", timezone=zone), basis).due_at
    assert due_at.utcoffset() is not None
    assert due_at.astimezone(UTC) - start.astimezone(UTC) == datetime.timedelta(hours=hours)


# --- Roll-forward ----------------------------------------------------------------------------


@given(day=st.dates(date(2000, 1, 1), date(2045, 12, 31)))
@example(day=date(2012, 3, 10))  # the Saturday before a working Sunday
@example(day=date(2012, 12, 15))  # a Saturday before three days of Independence Day
def test_roll_forward_lands_on_the_first_working_day_on_or_after_the_due_day(day):
    rolled, skipped = next_working_day(day, "KZ")
    assert day <= rolled <= day + datetime.timedelta(days=10)
    assert KZ.is_working_day(rolled)
    passed = [day + datetime.timedelta(days=n) for n in range((rolled - day).days)]
    assert not any(KZ.is_working_day(d) for d in passed)
    assert len(skipped) == len(passed)


@pytest.mark.parametrize(
    ("day", "rolled", "skipped"),
    [
        (
            date(2012, 12, 16),  # a Sunday, and Independence Day
            date(2012, 12, 19),
            ["Independence Day", "Independence Day", "Independence Day (observed)"],
        ),
        (date(2013, 1, 1), date(2013, 1, 3), ["New Year's Day", "New Year's Day"]),
        (date(2012, 9, 15), date(2012, 9, 17), ["weekend", "weekend"]),
        (date(2012, 9, 13), date(2012, 9, 13), []),
        # The government moved the working day of Friday 9 March 2012 to Sunday 11 March.
        (date(2012, 3, 9), date(2012, 3, 11), ["Day off (substituted from 03/11/2012)", "weekend"]),
        (date(2012, 3, 11), date(2012, 3, 11), []),
    ],
)
def test_next_working_day_skips_weekends_and_kz_public_holidays(day, rolled, skipped):
    assert next_working_day(day, "KZ") == (rolled, skipped)


@pytest.mark.parametrize(
    ("basis", "explanation"),
    [
        (
            date(2012, 12, 6),
            "KZ CPC art. 592(1): decision served 2012-12-06 + 10 days = 2012-12-16, not a "
            "working day in KZ (Independence Day, Independence Day (observed)): 2012-12-19",
        ),
        (
            date(2012, 9, 5),
            "KZ CPC art. 592(1): decision served 2012-09-05 + 10 days = 2012-09-15, not a "
            "working day in KZ (weekend): 2012-09-17",
        ),
        (
            date(2012, 9, 3),
            "KZ CPC art. 592(1): decision served 2012-09-03 + 10 days = 2012-09-13",
        ),
    ],
)
def test_a_rolled_date_names_the_days_skipped(basis, explanation):
    rule = _rule(
        source="KZ CPC art. 592(1)",
        trigger_label="decision served",
        roll_forward=True,
        calendar_country="KZ",
    )
    computation = compute_due(rule, basis)
    assert computation.explanation == explanation
    assert computation.due_at.astimezone(zoneinfo.ZoneInfo("Asia/Almaty")).date() == (
        date.fromisoformat(explanation[-10:])
    )


@given(basis=st.dates(date(2000, 1, 1), date(2040, 12, 31)), days=st.integers(0, 400))
def test_a_rolled_due_date_is_the_raw_date_or_the_first_working_day_after_it(basis, days):
    rule = _rule(period=days, roll_forward=True, calendar_country="KZ")
    due = compute_due(rule, basis).due_at.astimezone(zoneinfo.ZoneInfo("Asia/Almaty")).date()
    assert due == next_working_day(add_period(basis, days, "days"), "KZ")[0]


# --- The explanation of the seeded rules -----------------------------------------------------


@pytest.mark.django_db
def test_the_explanation_of_cat_follow_up_is_the_issues_example():
    rule = DeadlineRule.objects.get(code="cat.follow_up")
    computation = compute_due(rule, date(2012, 6, 15))
    assert computation.explanation == (
        "CAT r.118(5): decision transmitted 2012-06-15 + 90 days = 2012-09-13"
    )
    assert computation.due_at == datetime.datetime.combine(
        date(2012, 9, 13), END_OF_DAY, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich")
    )


@pytest.mark.django_db
def test_the_explanation_of_an_hours_rule_gives_the_hour():
    rule = DeadlineRule.objects.get(code="kz.identity_check")
    computation = compute_due(rule, date(2010, 6, 10))
    assert computation.explanation == (
        "KZ CPC art. 587(2): provisional arrest 2010-06-10 00:00 + 72 hours = "
        "2010-06-13 00:00 (Asia/Almaty)"
    )
    assert computation.due_at == datetime.datetime(
        2010, 6, 13, tzinfo=zoneinfo.ZoneInfo("Asia/Almaty")
    )
