"""Inline SVG maps of Europe drawn at build time from builder/data/europe.json.

The markup carries class names only (no style attributes or elements: the CSP forbids inline
styles); colours come from static/style.css. The data is made by builder/data/make_europe.py.
"""

import functools
import json
import math
import re
from pathlib import Path

from markupsafe import Markup

DATA = Path(__file__).parent / "data" / "europe.json"
BUCKETS = 5
SMALL_AREA = 60.0  # viewBox units squared: linked countries smaller than this also get a dot
DOT_RADIUS = 3.5
LOCATOR_SPAN = 5.0  # degrees of latitude shown either side of the point
LOCATOR_ASPECT = 4 / 3
# A locator is its own file, shown by `<img>`, so the page's stylesheet cannot reach it: its colours are
# presentation attributes (style.css's light map colours; the CSP forbids style elements in any file).
LOCATOR_COLOURS = {"map-context": "#f1f3f5", "map-land": "#dde2e7", "map-here": "#3182bd", "map-point": "#c0262d"}
LOCATOR_STROKE = 'stroke="#fff" stroke-width="0.6" stroke-linejoin="round" vector-effect="non-scaling-stroke"'
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")

Box = tuple[float, float, float, float]


@functools.cache
def load() -> dict:
    """The map data: projection, viewBox, country paths keyed by ISO alpha-2, context path."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def project(lat: float, lon: float) -> tuple[float, float]:
    """SVG coordinates of a point, by the projection stored in europe.json (LAEA, 10E 52N)."""
    p = load()["projection"]
    lam, phi, phi0 = math.radians(lon - p["lon0"]), math.radians(lat), math.radians(p["lat0"])
    cosc = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
    k = math.sqrt(2 / (1 + cosc)) if cosc > -1 else 0.0
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return p["x0"] + p["scale"] * x, p["y0"] - p["scale"] * y


def subpaths(d: str) -> list[tuple[str, Box]]:
    """Split path data (`M x y l dx dy ... z` rings) into rings with bounding boxes (x0, y0, x1, y1)."""
    found = []
    for ring in re.findall(r"M[^M]*", d):
        nums = [float(n) for n in NUMBER.findall(ring)]
        xs, ys = [nums[0]], [nums[1]]
        for dx, dy in zip(nums[2::2], nums[3::2]):
            xs.append(xs[-1] + dx)
            ys.append(ys[-1] + dy)
        found.append((ring.strip(), (min(xs), min(ys), max(xs), max(ys))))
    return found


@functools.cache
def rings(code: str) -> tuple[tuple[str, Box], ...]:
    """The rings of a country with their bounding boxes; code "" is the context land."""
    return tuple(subpaths(load()["countries"][code] if code else load()["context"]))


def overlaps(box: Box, view: Box) -> bool:
    """Whether a bounding box (x0, y0, x1, y1) meets a viewBox (x, y, w, h)."""
    return box[0] <= view[0] + view[2] and box[2] >= view[0] and box[1] <= view[1] + view[3] and box[3] >= view[1]


@functools.lru_cache(maxsize=4096)
def visible(code: str, view: Box) -> tuple[str, Box]:
    """Path data of the rings of a country that reach into a viewBox, and their bounding box (the same views
    come back on every page that draws a map, and in the preview on every rebuild)."""
    inside = [(ring, box) for ring, box in rings(code) if overlaps(box, view)]
    boxes = [box for _, box in inside] or [(0.0, 0.0, 0.0, 0.0)]
    return "".join(ring for ring, _ in inside), (
        min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def full_view() -> Box:
    """The whole map's viewBox as numbers (x, y, w, h)."""
    x, y, w, h = (float(v) for v in load()["viewBox"].split())
    return x, y, w, h


def num(value: float) -> str:
    """A coordinate with at most one decimal."""
    return f"{round(value, 1):g}"


def bucket(count: int, top: int) -> int:
    """Class number 1..BUCKETS of a positive count, on a log scale from 1 to the largest count."""
    if top <= 1:
        return BUCKETS
    return 1 + min(BUCKETS - 1, int(BUCKETS * math.log(count) / math.log(top)))


def practices(count: int) -> str:
    """'1 practice' or 'N practices'."""
    return f"{count} practice" if count == 1 else f"{count} practices"


def svg_open(view_box: str, css_class: str, title_id: str, title: str, role: str = "") -> Markup:
    """The opening `<svg>` tag followed by its `<title>`."""
    role_attr = Markup(' role="{}"').format(role) if role else ""
    return Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="{}" class="{}"{} aria-labelledby="{}">'
                  '<title id="{}">{}</title>').format(view_box, css_class, role_attr, title_id, title_id, title)


def country_link(code: str, count: int, top: int, href: str, name: str) -> Markup:
    """A country with practices: a link with a title, an aria-label and a bucket class."""
    label = f"{name}: {practices(count)}"
    css = f"map-n{bucket(count, top)}"
    d, (x0, y0, x1, y1) = visible(code, full_view())
    inner = Markup('<path class="{}" d="{}"/>').format(css, d)
    if (x1 - x0) * (y1 - y0) < SMALL_AREA:
        inner += Markup('<circle class="{} map-dot" cx="{}" cy="{}" r="{}"/>').format(
            css, num((x0 + x1) / 2), num((y0 + y1) / 2), num(DOT_RADIUS))
    return Markup('<a href="{}" aria-label="{}"><title>{}</title>{}</a>').format(href, label, label, inner)


def choropleth_svg(counts: dict[str, int], links: dict[str, str], names: dict[str, str], *,
                   title: str = "Map of Europe: number of good practices per country",
                   title_id: str = "map-choropleth-title") -> Markup:
    """Inline SVG choropleth: countries with practices shaded by bucket and linked, the rest plain."""
    view, data = full_view(), load()["countries"]
    shown = {c: n for c, n in counts.items() if n > 0 and c in data}
    top = max(shown.values(), default=1)
    context = Markup('<path class="map-context" aria-hidden="true" d="{}"/>').format(visible("", view)[0])
    plain = [Markup('<path class="map-none" d="{}"/>').format(visible(c, view)[0])
             for c in sorted(data) if c not in shown]
    unlinked = [Markup('<path class="map-n{}" d="{}"/>').format(bucket(shown[c], top), visible(c, view)[0])
                for c in sorted(shown) if c not in links]
    linked = [country_link(c, shown[c], top, links[c], names.get(c, c)) for c in sorted(shown) if c in links]
    body = Markup("").join([context, *plain, *unlinked, *linked])
    # A group, not an image: its countries are links that must stay reachable.
    return svg_open(load()["viewBox"], "map map-choropleth", title_id, title, role="group") + body + Markup("</svg>")


def locator_box(lat: float, lon: float) -> Box:
    """A viewBox (x, y, w, h) centred on a point, LOCATOR_SPAN degrees of latitude either way."""
    x, y = project(lat, lon)
    h = abs(project(lat + LOCATOR_SPAN, lon)[1] - project(lat - LOCATOR_SPAN, lon)[1])
    w = h * LOCATOR_ASPECT
    return x - w / 2, y - h / 2, w, h


def locator_svg(lat: float, lon: float, label: str, country: str | None = None, *,
                title_id: str = "map-locator-title") -> Markup:
    """Small inline SVG map around a point: its country highlighted and a dot at the point."""
    view = locator_box(lat, lon)
    parts = []
    for code in ["", *sorted(load()["countries"], key=lambda c: (c == country, c))]:
        d = visible(code, view)[0]
        if d:
            css = "map-context" if not code else "map-here" if code == country else "map-land"
            parts.append(Markup('<path class="{}" d="{}"/>').format(css, d))
    x, y = project(lat, lon)
    parts.append(Markup('<circle class="map-point" cx="{}" cy="{}" r="{}"/>').format(num(x), num(y), num(view[3] / 40)))
    title = f"Map of the location of {label}"
    view_box = " ".join(num(v) for v in view)
    return svg_open(view_box, "map map-locator", title_id, title, role="img") + Markup("").join(parts) + Markup("</svg>")


def locator_path(lat: float, lon: float, country: str) -> str:
    """The output path of the locator map of a point: one file per point, shared by every page that shows it."""
    return f"maps/{country.lower()}_{lat:.4f}_{lon:.4f}.svg"


def locator_file(lat: float, lon: float, country: str) -> bytes:
    """The locator map of a point as a standalone SVG file, coloured by attributes."""
    svg = str(locator_svg(lat, lon, "this place", country, title_id="map"))
    for css, colour in LOCATOR_COLOURS.items():
        svg = svg.replace(f'class="{css}"', f'class="{css}" fill="{colour}" {LOCATOR_STROKE}')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n").encode()


def locator_img(url: str, label: str) -> Markup:
    """The `<img>` that shows a locator file, described for readers who cannot see it."""
    return Markup('<img class="map map-locator" src="{}" alt="{}" width="320" height="240" loading="lazy" decoding="async">').format(
        url, f"Map of the location of {label}")
def legend(counts: dict[str, int]) -> list[tuple[str, str]]:
    """The choropleth's key: (class, the counts it stands for) per shade in use, then the plain colour."""
    top = max((n for n in counts.values() if n > 0), default=0)
    ranges: dict[int, list[int]] = {}
    for count in range(1, top + 1):
        ranges.setdefault(bucket(count, top), []).append(count)
    steps = [(f"map-n{shade}", f"{span[0]}" if len(span) == 1 else f"{span[0]}–{span[-1]}")
             for shade, span in sorted(ranges.items())]
    return [(css, f"{label} {'practice' if label == '1' else 'practices'}") for css, label in steps] + [("map-none", "no practices")]


POINT_MARGIN = 40.0  # viewBox units around the outermost points
POINTS_MIN_HEIGHT = 260.0


def points_box(xy: list[tuple[float, float]]) -> Box:
    """A viewBox (x, y, w, h) around projected points, with a margin, at least POINTS_MIN_HEIGHT high, 4:3 or wider."""
    x0, y0 = min(x for x, _ in xy) - POINT_MARGIN, min(y for _, y in xy) - POINT_MARGIN
    x1, y1 = max(x for x, _ in xy) + POINT_MARGIN, max(y for _, y in xy) + POINT_MARGIN
    h = max(y1 - y0, POINTS_MIN_HEIGHT, (x1 - x0) * 3 / 4)
    w = max(x1 - x0, h * 4 / 3)
    return (x0 + x1 - w) / 2, (y0 + y1 - h) / 2, w, h


def spread(xy: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Points that share a place moved onto a small ring around it, so that each stays a target of its own."""
    seen: dict[tuple[float, float], list[int]] = {}
    for index, point in enumerate(xy):
        seen.setdefault((round(point[0], 1), round(point[1], 1)), []).append(index)
    placed = list(xy)
    for group in seen.values():
        if len(group) > 1:
            radius = gap * len(group) / (2 * math.pi) if len(group) > 6 else gap
            for turn, index in enumerate(group):
                angle = 2 * math.pi * turn / len(group) - math.pi / 2
                placed[index] = (xy[index][0] + radius * math.cos(angle), xy[index][1] + radius * math.sin(angle))
    return placed


def points_svg(points: list[tuple[float, float, str, str]], *, title: str = "Map of Europe: each practice as a point",
               title_id: str = "map-points-title") -> Markup:
    """Inline SVG of Europe with one linked dot per (lat, lon, label, href), framed around the points."""
    if not points:
        return Markup("")
    view = points_box([project(lat, lon) for lat, lon, _, _ in points])
    parts = []
    for code in ["", *sorted(load()["countries"])]:
        d = visible(code, view)[0]
        if d:
            parts.append(Markup('<path class="{}" d="{}"/>').format("map-land" if code else "map-context", d))
    radius = view[3] / 55
    for (x, y), (_, _, label, href) in zip(spread([project(lat, lon) for lat, lon, _, _ in points], radius * 2.6), points):
        parts.append(Markup('<a href="{}" aria-label="{}"><title>{}</title><circle class="map-point map-target" '
                            'cx="{}" cy="{}" r="{}"/></a>').format(href, label, label, num(x), num(y), num(radius)))
    view_box = " ".join(num(v) for v in view)
    return svg_open(view_box, "map map-points", title_id, title, role="group") + Markup("").join(parts) + Markup("</svg>")
