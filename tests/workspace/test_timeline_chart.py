"""The geometry of the case page's timeline chart (workspace/timeline_chart.py and
workspace/timeline_axis.py): lanes, bars, marks, the compressed axis and its ticks. Pure
functions: no database."""

import datetime
import itertools
import uuid

import pytest

from workspace.selectors import TIMELINE_FORUMS
from workspace.timeline_axis import BREAK_WIDTH, LABEL_WIDTHS, axis_build, axis_ticks
from workspace.timeline_chart import GUTTER, MAX_ROWS, RIGHT_MARGIN, WIDTH, chart_build

D = datetime.date
TODAY = D(2026, 11, 23)


def entry(day, forum, kind, record_type, record_id=None, title="An event"):
    return {
        "date": day,
        "forum": forum,
        "kind": kind,
        "title": title,
        "record_type": record_type,
        "record_id": record_id or uuid.uuid4(),
        "person_id": None,
    }


def detention(start, end=None, record_id=None):
    record_id = record_id or uuid.uuid4()
    entries = [entry(start, "detention", "started", "cases.detention", record_id, "Detained")]
    if end:
        entries.append(entry(end, "detention", "ended", "cases.detention", record_id, "Released"))
    return entries


def lane(chart, forum):
    return next(lane for lane in chart.lanes if lane.forum == forum)


def test_no_entries_no_chart():
    assert chart_build([], today=TODAY) is None


def test_every_forum_has_its_lane_in_order_stacked_without_gaps():
    chart = chart_build(detention(D(2010, 6, 10)), today=TODAY)

    assert [lane.forum for lane in chart.lanes] == list(TIMELINE_FORUMS)
    for above, below in zip(chart.lanes, chart.lanes[1:], strict=False):
        assert below.y == above.bottom
    assert chart.height > chart.lanes_bottom


def test_a_detention_is_a_bar_from_its_start_to_its_end():
    record_id = uuid.uuid4()
    chart = chart_build(detention(D(2010, 6, 10), D(2011, 6, 9), record_id), today=TODAY)

    [bar] = lane(chart, "detention").bars
    assert bar.href == f"#detention-{record_id}"
    assert (bar.start, bar.end) == (D(2010, 6, 10), D(2011, 6, 9))
    assert bar.titles == ("Detained", "Released")
    assert "bar--detention" in bar.css
    assert lane(chart, "detention").marks == ()


def test_an_ongoing_detention_and_measure_run_to_today():
    measure_id = uuid.uuid4()
    entries = [
        *detention(D(2025, 6, 10)),
        entry(D(2025, 7, 1), "interim_measure", "granted", "rulings.interimmeasure", measure_id),
        entry(D(2025, 6, 20), "interim_measure", "requested", "rulings.interimmeasure", measure_id),
    ]
    chart = chart_build(sorted(entries, key=lambda e: e["date"]), today=TODAY)

    [held] = lane(chart, "detention").bars
    [measure] = lane(chart, "interim_measure").bars
    for bar in (held, measure):
        assert bar.end is None
        assert bar.x + bar.width == pytest.approx(chart.today_x, abs=0.2)
    # The request is a mark of its own beside the bar.
    [requested] = lane(chart, "interim_measure").marks
    assert requested.href == f"#interimmeasure-{measure_id}"


def test_a_refused_request_is_no_bar_and_a_surrender_is_a_danger_mark_too():
    refused, surrendered = uuid.uuid4(), uuid.uuid4()
    kinds = "cases.extraditionrequest"
    entries = [
        entry(D(2010, 6, 20), "extradition", "request_received", kinds, refused),
        entry(D(2010, 6, 24), "extradition", "request_received", kinds, surrendered),
        entry(D(2011, 6, 9), "extradition", "surrendered", kinds, surrendered),
    ]
    chart = chart_build(entries, today=TODAY, closed_spans={refused})

    extradition = lane(chart, "extradition")
    [bar] = extradition.bars
    assert bar.href == f"#extraditionrequest-{surrendered}"
    assert bar.end == D(2011, 6, 9)
    marks = {(m.href, m.tone) for m in extradition.marks}
    assert marks == {
        (f"#extraditionrequest-{refused}", ""),
        (f"#extraditionrequest-{surrendered}", "danger"),
    }


def test_entries_of_one_record_on_one_day_make_one_mark_and_tones_are_applied():
    decision = uuid.uuid4()
    kind = "cases.extraditiondecision"
    entries = [
        entry(D(2010, 9, 20), "extradition", "decision", kind, decision, "Granted"),
        entry(D(2010, 9, 20), "extradition", "decision_served", kind, decision, "Served"),
        entry(D(2010, 12, 1), "note", "note", "cases.note"),
    ]
    chart = chart_build(entries, today=TODAY, tones={decision: "danger"})

    [mark] = lane(chart, "extradition").marks
    assert mark.titles == ("Granted", "Served")
    assert mark.tone == "danger"
    assert mark.css == "mark mark--danger"
    assert len(mark.diamond.split()) == 4
    [note] = lane(chart, "note").marks
    assert note.css == "mark mark--note"


def test_a_long_quiet_stretch_is_compressed_to_one_break():
    entries = [
        *detention(D(2010, 6, 10), D(2011, 6, 9)),
        entry(D(2012, 6, 1), "note", "note", "cases.note"),
    ]
    chart = chart_build(entries, today=TODAY)

    [gap] = chart.breaks
    assert gap.width == BREAK_WIDTH
    assert gap.start < D(2013, 1, 1) and gap.end > D(2026, 1, 1)
    [bar] = lane(chart, "detention").bars
    [note] = lane(chart, "note").marks
    # The events keep most of the width; today sits just after the break.
    assert note.x - bar.x > 0.5 * (WIDTH - GUTTER)
    assert gap.x + gap.width < chart.today_x <= WIDTH - RIGHT_MARGIN


def test_days_close_together_are_not_compressed_and_x_grows_with_the_day():
    axis = axis_build([D(2025, 1, 1), D(2025, 9, 1), TODAY], left=100, right=900)

    assert axis.breaks == ()
    days = [D(2024, 12, 15), D(2025, 1, 1), D(2025, 5, 1), D(2026, 1, 1), TODAY]
    xs = [axis.x(day) for day in days]
    assert xs == sorted(xs)
    assert xs[0] >= 100 and xs[-1] <= 900


def test_a_day_inside_a_break_falls_inside_it():
    axis = axis_build([D(2010, 1, 1), D(2020, 1, 1)], left=0, right=1000)

    [gap] = axis.breaks
    assert gap.x < axis.x(D(2015, 1, 1)) < gap.x + gap.width


def test_ticks_mark_years_and_labels_never_overlap():
    days = [D(2009, 11, 1), D(2010, 8, 1), D(2011, 3, 1), D(2012, 6, 1), TODAY]
    axis = axis_build(days, left=GUTTER, right=WIDTH - 16)
    ticks = axis_ticks(axis, right_edge=WIDTH)

    years = [t for t in ticks if t.major]
    assert [t.day for t in years] == [D(2010, 1, 1), D(2011, 1, 1), D(2012, 1, 1)]
    assert all(t.label == "year" for t in years)
    # Every stretch names a year, so that a reader knows where it is after a break (the first
    # stretch's start gives way to "2010", two months on).
    for segment in axis.segments:
        named = [
            t
            for t in ticks
            if t.label in ("year", "month_year") and segment.start <= t.day <= segment.end
        ]
        assert named, segment
    assert [t.day for t in ticks if t.label == "month_year"] == [D(2026, 11, 1)]
    spans = sorted(
        (t.x - LABEL_WIDTHS[t.label], t.x) if t.label_end else (t.x, t.x + LABEL_WIDTHS[t.label])
        for t in ticks
        if t.label
    )
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start
    assert all(span[1] <= WIDTH for span in spans)


def test_overlapping_bars_are_stacked_and_beyond_the_limit_they_overlap():
    entries = []
    for _ in range(MAX_ROWS + 2):
        entries += detention(D(2010, 6, 10), D(2011, 6, 9))
    chart = chart_build(entries, today=D(2011, 12, 1))

    bars = lane(chart, "detention").bars
    rows = sorted({bar.y for bar in bars})
    assert len(rows) == MAX_ROWS
    assert lane(chart, "detention").height > lane(chart, "note").height


def test_everything_is_drawn_inside_the_plot():
    entries = [
        *detention(D(2010, 6, 10), D(2011, 6, 9)),
        entry(D(2010, 6, 10), "note", "note", "cases.note"),
        entry(D(2027, 1, 15), "deadline", "due", "cases.deadline"),
    ]
    chart = chart_build(entries, today=TODAY)

    for each in chart.lanes:
        for bar in each.bars:
            assert bar.x >= GUTTER and bar.x + bar.width <= WIDTH - RIGHT_MARGIN
            assert each.y <= bar.y and bar.y + bar.height <= each.bottom
        for mark in each.marks:
            assert GUTTER <= mark.x <= WIDTH - RIGHT_MARGIN
            assert each.y <= mark.y - mark.radius and mark.y + mark.radius <= each.bottom
