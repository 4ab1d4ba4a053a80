"""The geometry of the case page's timeline chart: every forum on one time axis (issue #5).

Pure functions, no queries and no HTML: the entries of ``rulings.selectors.case_timeline`` go
in, lanes of bars and marks with their x, y and width in SVG user units come out, and the
template draws them with classes from app.css (the Content-Security-Policy forbids inline
styles, so every position is an SVG attribute computed here).

* One lane per forum (``TIMELINE_FORUMS``), always in the same order, so that a reader learns
  where to look and sees at once that, say, no complaint was ever filed.
* Periods are bars: a detention from its start to its end (or today), an interim measure from
  grant to lifting (or today), an extradition request from receipt to surrender (or today while
  it still threatens). Everything else is a mark on its day.
* A long empty stretch is compressed to a short break (``workspace.timeline_axis``).
* Bars and marks that would overlap within a lane are stacked in rows (at most ``MAX_ROWS``;
  beyond that they overlap, and the list under the chart still names every entry).
"""

import datetime
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from workspace.selectors import TIMELINE_FORUMS, TimelineEntry
from workspace.timeline_axis import Axis, Break, Tick, axis_build, axis_ticks

FORUM_LABELS = {
    "detention": _("Detention"),
    "extradition": _("Extradition"),
    "refugee_status": _("Refugee status"),
    "complaint": _("Complaints"),
    "interim_measure": _("Interim measures"),
    "committee": _("Committee decisions"),
    "note": _("Notes"),
    "deadline": _("Deadlines"),
}

# Geometry, in SVG user units. The template's viewBox is WIDTH wide.
WIDTH = 960
GUTTER = 150  # the lane labels, left of the plot
RIGHT_MARGIN = 16
AXIS_HEIGHT = 38  # tick labels above the lanes
BOTTOM = 22  # the "today" label under the lanes
LANE_MIN_HEIGHT = 30
LANE_PADDING = 6
BAR_HEIGHT = 8
BAR_ROW = 12
MARK_RADIUS = 5
MARK_ROW = 14
MAX_ROWS = 6
MIN_BAR_WIDTH = 3
MIN_MARK_GAP = 12  # marks closer than this go to the next row

# Records drawn as a bar: (entry kind that starts it, entry kind that ends it, CSS class).
SPANS: dict[str, tuple[str, str, str]] = {
    "cases.detention": ("started", "ended", "bar--detention"),
    "rulings.interimmeasure": ("granted", "lifted", "bar--measure"),
    "cases.extraditionrequest": ("request_received", "surrendered", "bar--request"),
}
# Entries that end a bar and are also shown as a mark of their own: a surrender is the event
# the whole case exists to prevent.
END_ALSO_MARKED = frozenset({"surrendered"})
# Tones a mark takes by its kind when the caller gives none for its record.
KIND_TONES = {"surrendered": "danger", "note": "note"}
TONES = frozenset({"danger", "ok", "note"})


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    href: str
    titles: tuple[str, ...]
    css: str
    start: datetime.date
    end: datetime.date | None  # None: still running (drawn up to today)
    height: float = BAR_HEIGHT


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    href: str
    titles: tuple[str, ...]
    day: datetime.date
    tone: str = ""
    radius: float = MARK_RADIUS

    @property
    def css(self) -> str:
        return f"mark mark--{self.tone}" if self.tone else "mark"

    @property
    def diamond(self) -> str:
        """The points of a diamond: danger is told by shape as well as by colour."""
        r = self.radius + 1
        return " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (
                (self.x, self.y - r),
                (self.x + r, self.y),
                (self.x, self.y + r),
                (self.x - r, self.y),
            )
        )


@dataclass(frozen=True)
class Lane:
    forum: str
    label: str
    y: float
    height: float
    bars: tuple[Bar, ...] = ()
    marks: tuple[Mark, ...] = ()

    @property
    def label_y(self) -> float:
        return round(self.y + self.height / 2 + 4, 1)

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    axis_y: float
    lanes: tuple[Lane, ...]
    ticks: tuple[Tick, ...]
    breaks: tuple[Break, ...]
    today: datetime.date
    today_x: float
    entry_count: int = 0
    lanes_top: float = AXIS_HEIGHT

    @property
    def lanes_bottom(self) -> float:
        return self.lanes[-1].bottom if self.lanes else self.lanes_top

    @property
    def today_label_y(self) -> float:
        return round(self.lanes_bottom + 15, 1)

    @property
    def lanes_height(self) -> float:
        return round(self.lanes_bottom - self.axis_y, 1)

    @property
    def tick_label_y(self) -> float:
        return self.axis_y - 16

    @property
    def major_tick_top(self) -> float:
        return self.axis_y - 12

    @property
    def minor_tick_top(self) -> float:
        return self.axis_y - 6


def anchor(entry: TimelineEntry) -> str:
    """The fragment of the record's section on the case page: ``#<model_name>-<pk>``."""
    model_name = entry["record_type"].rsplit(".", 1)[-1]
    return f"#{model_name}-{entry['record_id']}"


# --- bars and marks ---------------------------------------------------------------------------


@dataclass
class _Span:
    forum: str
    href: str
    css: str
    start: TimelineEntry | None = None
    end: TimelineEntry | None = None


def _spans_and_points(
    entries: Sequence[TimelineEntry], *, closed_spans: Collection[uuid.UUID]
) -> tuple[list[_Span], list[TimelineEntry]]:
    """Split entries into the periods drawn as bars and the entries drawn as marks."""
    spans: dict[uuid.UUID, _Span] = {}
    for entry in entries:
        kinds = SPANS.get(entry["record_type"])
        if kinds and entry["kind"] in kinds[:2]:
            span = spans.setdefault(
                entry["record_id"], _Span(forum=entry["forum"], href=anchor(entry), css=kinds[2])
            )
            if entry["kind"] == kinds[0]:
                span.start = entry
            else:
                span.end = entry
    drawn = {
        record_id: span
        for record_id, span in spans.items()
        if span.start is not None and (span.end is not None or record_id not in closed_spans)
    }
    points = []
    for entry in entries:
        span = drawn.get(entry["record_id"])
        consumed = span is not None and entry in (span.start, span.end)
        if not consumed or entry["kind"] in END_ALSO_MARKED:
            points.append(entry)
    return list(drawn.values()), points


def _pack(items: Sequence[tuple[float, float]], *, gap: float) -> list[int]:
    """The row of each (start x, end x), in the given order: the first row where it fits after
    the previous item with ``gap`` to spare; when ``MAX_ROWS`` are full, the row that frees
    first (the items overlap there)."""
    row_ends: list[float] = []
    rows = []
    for start, end in items:
        free = [row for row, row_end in enumerate(row_ends) if row_end + gap <= start]
        if free:
            row = free[0]
        elif len(row_ends) < MAX_ROWS:
            row_ends.append(float("-inf"))
            row = len(row_ends) - 1
        else:
            row = min(range(len(row_ends)), key=row_ends.__getitem__)
        row_ends[row] = max(row_ends[row], end)
        rows.append(row)
    return rows


def _lane(
    forum: str,
    y: float,
    spans: list[_Span],
    points: list[TimelineEntry],
    *,
    axis: Axis,
    today: datetime.date,
    tones: Mapping[uuid.UUID, str],
) -> Lane:
    bar_specs = []
    for span in spans:
        assert span.start is not None
        start = span.start["date"]
        end = span.end["date"] if span.end else None
        x0, x1 = axis.x(start), axis.x(end or max(today, start))
        titles = tuple(e["title"] for e in (span.start, span.end) if e is not None)
        bar_specs.append((x0, max(x1 - x0, MIN_BAR_WIDTH), span, start, end, titles))
    bar_specs.sort(key=lambda b: (b[0], -b[1]))
    bar_rows = _pack([(b[0], b[0] + b[1]) for b in bar_specs], gap=2)

    # Entries of one record on one day make one mark (a decision made and served the same day).
    merged: dict[tuple[uuid.UUID, datetime.date], list[TimelineEntry]] = {}
    for entry in points:
        merged.setdefault((entry["record_id"], entry["date"]), []).append(entry)
    mark_specs = sorted(
        ((axis.x(day), day, group) for (_, day), group in merged.items()),
        key=lambda m: (m[0], str(m[2][0]["record_id"])),
    )
    mark_rows = _pack([(m[0], m[0]) for m in mark_specs], gap=MIN_MARK_GAP)

    bar_row_count = max(bar_rows, default=-1) + 1
    mark_row_count = max(mark_rows, default=-1) + 1
    content = bar_row_count * BAR_ROW + mark_row_count * MARK_ROW
    height = max(LANE_MIN_HEIGHT, content + 2 * LANE_PADDING)
    top = y + (height - content) / 2  # centred when it needs less than the minimum

    bars = tuple(
        Bar(
            x=x,
            y=round(top + row * BAR_ROW + (BAR_ROW - BAR_HEIGHT) / 2, 1),
            width=round(width, 1),
            href=span.href,
            titles=titles,
            css=span.css,
            start=start,
            end=end,
        )
        for (x, width, span, start, end, titles), row in zip(bar_specs, bar_rows, strict=True)
    )
    marks_top = top + bar_row_count * BAR_ROW
    marks = []
    for (x, day, group), row in zip(mark_specs, mark_rows, strict=True):
        first = group[0]
        tone = tones.get(first["record_id"]) or KIND_TONES.get(first["kind"], "")
        marks.append(
            Mark(
                x=x,
                y=round(marks_top + row * MARK_ROW + MARK_ROW / 2, 1),
                href=anchor(first),
                titles=tuple(e["title"] for e in group),
                day=day,
                tone=tone if tone in TONES else "",
            )
        )
    return Lane(
        forum=forum,
        label=str(FORUM_LABELS[forum]),
        y=round(y, 1),
        height=round(height, 1),
        bars=bars,
        marks=tuple(marks),
    )


def chart_build(
    entries: Sequence[TimelineEntry],
    *,
    today: datetime.date,
    tones: Mapping[uuid.UUID, str] | None = None,
    closed_spans: Collection[uuid.UUID] = (),
) -> Chart | None:
    """The chart of ``entries`` (as ``case_timeline`` gives them), or None when there are none.

    ``tones``: a record's mark colour and shape, "danger" or "ok" (e.g. a missed deadline, a
    refused extradition), by record id. ``closed_spans``: records whose period is over though
    it has no end date (a refused or withdrawn extradition request): they get no bar running to
    today, only the mark of their start.
    """
    if not entries:
        return None
    spans, points = _spans_and_points(entries, closed_spans=closed_spans)
    days = [e["date"] for e in entries] + [today]
    axis = axis_build(days, left=GUTTER, right=WIDTH - RIGHT_MARGIN)
    lanes = []
    y = AXIS_HEIGHT
    for forum in TIMELINE_FORUMS:
        lane = _lane(
            forum,
            y,
            [s for s in spans if s.forum == forum],
            [p for p in points if p["forum"] == forum],
            axis=axis,
            today=today,
            tones=tones or {},
        )
        lanes.append(lane)
        y = lane.bottom
    return Chart(
        width=WIDTH,
        height=round(y + BOTTOM, 1),
        plot_left=GUTTER,
        plot_right=WIDTH - RIGHT_MARGIN,
        axis_y=AXIS_HEIGHT,
        lanes=tuple(lanes),
        ticks=tuple(axis_ticks(axis, right_edge=WIDTH)),
        breaks=axis.breaks,
        today=today,
        today_x=axis.x(today),
        entry_count=len(entries),
    )
