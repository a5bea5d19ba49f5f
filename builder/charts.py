"""The statistics page's figures and their bar charts, drawn at build time as inline SVG.

Like the maps, the markup carries class names only (the CSP forbids inline styles); colours and
type come from static/style.css. Each chart is shown next to a table of the same figures.
"""

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from .schema import LEVELS, STATUSES

WIDTH = 360  # viewBox units, about the width of a phone, so labels stay legible there; the label sits above its bar
ROW = 46
BAR = 18
LABEL_GAP = 4
COUNT_ROOM = 44  # room right of the longest bar for its count


@dataclass(frozen=True)
class Row:
    """One figure: what is counted, how many practices, and the page that lists them (if any)."""

    label: str
    count: int
    url: str | None = None


@dataclass(frozen=True)
class Chart:
    """One statistic: an id for anchors, a heading, its rows and the total they share."""

    id: str
    title: str
    rows: tuple[Row, ...]
    total: int
    note: str = ""

    @property
    def svg(self) -> Markup:
        """The chart drawn as a horizontal bar chart."""
        return bar_chart(self)

    def share(self, row: Row) -> str:
        """A row's share of all practices, as a whole percentage."""
        return f"{round(100 * row.count / self.total)} %" if self.total else "–"


def bar_chart(chart: Chart) -> Markup:
    """Inline SVG: one labelled bar per row, its length proportional to the count, the count at its end."""
    top = max((row.count for row in chart.rows), default=0) or 1
    height = ROW * len(chart.rows) + 4
    parts = [Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="chart" role="img" '
                    'aria-labelledby="{}-svg-title"><title id="{}-svg-title">Bar chart: {}</title>').format(
        WIDTH, height, chart.id, chart.id, chart.title)]
    for index, row in enumerate(chart.rows):
        y = index * ROW
        length = round((WIDTH - COUNT_ROOM) * row.count / top, 1)
        parts.append(Markup('<text class="chart-label" x="0" y="{}">{}</text>').format(y + 16, row.label))
        parts.append(Markup('<rect class="chart-bar" x="0" y="{}" width="{:g}" height="{}" rx="2"/>').format(
            y + 16 + LABEL_GAP + 2, max(length, 1), BAR))
        parts.append(Markup('<text class="chart-count" x="{:g}" y="{}">{}</text>').format(
            length + 6, y + 16 + LABEL_GAP + BAR - 2, row.count))
    return Markup("").join(parts) + Markup("</svg>")


def counted(practices: list, key) -> Counter:
    """How many practices have each value of `key(practice)` (a list counts each of its values once)."""
    counts = Counter()
    for practice in practices:
        values = key(practice)
        counts.update(set(values) if isinstance(values, (list, tuple)) else [values])
    return counts


def year_rows(practices: list) -> tuple[Row, ...]:
    """Practices by the year they started, oldest first, and those whose start is not stated."""
    counts = counted(practices, lambda p: p.start[:4] if p.start else None)
    rows = [Row(year, counts[year]) for year in sorted(year for year in counts if year)]
    return tuple(rows + ([Row("Not stated", counts[None])] if counts[None] else []))


def statistics(site) -> list[Chart]:
    """The figures of the statistics page: practices by theme, country, level, year started and status."""
    practices, total = site.practices, len(site.practices)
    themes = counted(practices, lambda p: [theme.id for theme in p.themes])
    countries = counted(practices, lambda p: p.country.code)
    levels, statuses = counted(practices, lambda p: p.level), counted(practices, lambda p: p.status)
    by_count = lambda rows: tuple(sorted(rows, key=lambda row: (-row.count, row.label.casefold())))  # noqa: E731
    return [
        Chart("by-theme", "Practices by theme", by_count(Row(t.name, themes[t.id], t.url) for t in site.active_themes), total,
              "A practice can have up to three themes, so the figures add up to more than the number of practices."),
        Chart("by-country", "Practices by country",
              by_count(Row(c.name, countries[c.code], c.url) for c in site.active_countries), total),
        Chart("by-level", "Practices by level", tuple(Row(level.capitalize(), levels[level]) for level in LEVELS), total),
        Chart("by-year", "Practices by year started", year_rows(practices), total),
        Chart("by-status", "Practices by status",
              tuple(Row(status.capitalize(), statuses[status]) for status in STATUSES), total,
              "Validated practices have been reviewed by thematic experts; submitted ones not yet."),
    ]
