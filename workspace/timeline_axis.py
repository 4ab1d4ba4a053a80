"""The time axis of the case timeline chart: where a day falls, and its ticks.

Pure functions, in SVG user units. Every gap between two consecutive days longer than
``GAP_DAYS`` is compressed to a break of ``BREAK_WIDTH``: a case opened in 2010 whose events
ended in 2012, looked at in 2026, would otherwise squeeze every event into the first eighth of
the chart. Within the stretches between breaks the scale is the same everywhere.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

BREAK_WIDTH = 24
# An empty stretch longer than this (about 18 months) is compressed to a break …
GAP_DAYS = 540
# … keeping this much either side of it, and either side of the whole chart.
MARGIN_DAYS = 30
MONTH_TICK_MIN_WIDTH = 4  # a month narrower than this gets no tick of its own
MONTH_LABEL_MIN_WIDTH = 24  # … and narrower than this no label
# Tick labels start at their tick; these are their widths at the chart's font size, generous
# enough for Russian month abbreviations. A label that would overlap another is left out.
LABEL_WIDTHS = {"year": 28, "month_year": 60, "month": 26}
LABEL_PRIORITY = ("year", "month_year", "month")
LABEL_GAP = 4


@dataclass(frozen=True)
class Tick:
    x: float
    day: datetime.date
    major: bool  # the first of a year
    label: str  # "year", "month", "month_year" (how the template writes the day), or ""
    label_end: bool = False  # the label ends at the tick (near the right edge)


@dataclass(frozen=True)
class Break:
    """A compressed empty stretch: nothing happened from ``start`` to ``end``."""

    x: float
    width: float
    start: datetime.date
    end: datetime.date

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Segment:
    start: datetime.date
    end: datetime.date
    x: float


@dataclass(frozen=True)
class Axis:
    segments: tuple[Segment, ...]
    breaks: tuple[Break, ...]
    scale: float  # user units per day

    def x(self, day: datetime.date) -> float:
        """Where ``day`` falls: in a segment, to scale; in a break, proportionally across it."""
        for segment in self.segments:
            if segment.start <= day <= segment.end:
                return round(segment.x + (day - segment.start).days * self.scale, 1)
        for gap in self.breaks:
            if gap.start < day < gap.end:
                share = (day - gap.start).days / max((gap.end - gap.start).days, 1)
                return round(gap.x + share * gap.width, 1)
        first, last = self.segments[0], self.segments[-1]
        if day < first.start:
            return first.x
        return round(last.x + (last.end - last.start).days * self.scale, 1)


def axis_build(days: Iterable[datetime.date], *, left: float, right: float) -> Axis:
    """An axis from ``left`` to ``right`` covering ``days``, with every gap between two
    consecutive days longer than ``GAP_DAYS`` compressed to a break of ``BREAK_WIDTH``."""
    points = sorted(set(days))
    if not points:
        raise ValueError("An axis needs at least one day.")
    margin = datetime.timedelta(days=MARGIN_DAYS)
    intervals: list[tuple[datetime.date, datetime.date]] = []
    start = previous = points[0]
    for day in points[1:]:
        if (day - previous).days > GAP_DAYS:
            intervals.append((start - margin, previous + margin))
            start = day
        previous = day
    intervals.append((start - margin, previous + margin))

    total_days = sum((end - begin).days for begin, end in intervals)
    breaks_width = BREAK_WIDTH * (len(intervals) - 1)
    scale = (right - left - breaks_width) / total_days
    segments, breaks = [], []
    x = left
    for index, (begin, end) in enumerate(intervals):
        if index:
            breaks.append(
                Break(x=round(x, 1), width=BREAK_WIDTH, start=intervals[index - 1][1], end=begin)
            )
            x += BREAK_WIDTH
        segments.append(Segment(start=begin, end=end, x=round(x, 1)))
        x += (end - begin).days * scale
    return Axis(segments=tuple(segments), breaks=tuple(breaks), scale=scale)


def _first_of_next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def axis_ticks(axis: Axis, *, right_edge: float) -> list[Tick]:
    """Year ticks always; month ticks when a month is wide enough, labelled when wider still.

    The first tick of each segment names its month and year (unless it is a January, which
    names its year), so that a reader knows where the chart starts and where it resumes after a
    break. Where labels would collide, years win over the segment starts, which win over months.
    """
    month_width = axis.scale * 365.25 / 12
    candidates: list[tuple[float, datetime.date, bool, str]] = []
    for segment in axis.segments:
        day = segment.start if segment.start.day == 1 else _first_of_next_month(segment.start)
        first = True
        while day <= segment.end:
            major = day.month == 1
            if major or month_width >= MONTH_TICK_MIN_WIDTH:
                if major:
                    label = "year"
                elif first:
                    label = "month_year"
                elif month_width >= MONTH_LABEL_MIN_WIDTH:
                    label = "month"
                else:
                    label = ""
                candidates.append((axis.x(day), day, major, label))
                first = False
            day = _first_of_next_month(day)

    taken: list[tuple[float, float]] = []
    kept: set[int] = set()
    by_priority = sorted(
        (i for i, c in enumerate(candidates) if c[3]),
        key=lambda i: (LABEL_PRIORITY.index(candidates[i][3]), candidates[i][0]),
    )
    for index in by_priority:
        x, label = candidates[index][0], candidates[index][3]
        span = _label_span(x, label, right_edge)
        if all(span[1] + LABEL_GAP <= a or b + LABEL_GAP <= span[0] for a, b in taken):
            taken.append(span)
            kept.add(index)
    return [
        Tick(
            x=x,
            day=day,
            major=major,
            label=label if i in kept else "",
            label_end=label in LABEL_WIDTHS and x + LABEL_WIDTHS[label] > right_edge,
        )
        for i, (x, day, major, label) in enumerate(candidates)
    ]


def _label_span(x: float, label: str, right_edge: float) -> tuple[float, float]:
    """Where a tick's label sits: after the tick, or before it near the chart's right edge
    (where the template anchors it at its end) so that it is not cut off."""
    width = LABEL_WIDTHS[label]
    return (x - width, x) if x + width > right_edge else (x, x + width)
