"""builder.charts: the statistics page's figures and their SVG bar charts."""

import re

from builder.charts import Chart, Row, bar_chart, statistics
from test_model import golden_site


def test_the_figures_count_practices_by_theme_country_level_year_and_status():
    charts = {chart.id: chart for chart in statistics(golden_site())}
    assert list(charts) == ["by-theme", "by-country", "by-level", "by-year", "by-status"]
    assert [(row.label, row.count) for row in charts["by-country"].rows] == [("Poland", 2), ("Norway", 1)]
    assert [(row.label, row.count) for row in charts["by-level"].rows] == [("National", 0), ("Regional", 1), ("Local", 2)]
    assert sum(row.count for row in charts["by-year"].rows) == 3
    assert all(row.url for row in charts["by-theme"].rows + charts["by-country"].rows)
    assert charts["by-country"].share(charts["by-country"].rows[0]) == "67 %"


def test_bars_are_as_long_as_their_counts_and_labels_are_escaped():
    chart = Chart("c", "By <x>", (Row("A & B", 4), Row("<script>", 2), Row("None", 0)), 6)
    svg = str(bar_chart(chart))
    widths = [float(w) for w in re.findall(r'<rect class="chart-bar" x="0" y="[^"]+" width="([^"]+)"', svg)]
    assert widths[0] == 2 * widths[1] and widths[2] == 1  # a zero keeps a visible stub
    assert "A &amp; B" in svg and "&lt;script&gt;" in svg and "<script>" not in svg
    assert 'role="img"' in svg and "<title id=\"c-svg-title\">Bar chart: By &lt;x&gt;</title>" in svg
