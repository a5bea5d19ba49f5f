"""Make builder/data/europe.json: simplified, projected country outlines of Europe as SVG paths.

Run by hand, only when the outlines are to change; the output is committed and the site build
never runs this script nor fetches anything:

    tmp="$(mktemp -d)" && (cd "$tmp" && npm i --no-save world-atlas@2.0.2)
    python builder/data/make_europe.py "$tmp/node_modules/world-atlas/countries-50m.json"

(from the repository root; it needs only Python and pycountry). The output records the SHA-256
of the input file, so a rerun on the same input can be checked to give the same bytes.

Input: Natural Earth 1:50m Admin 0 countries (v4.1.0) as TopoJSON, from the npm package
world-atlas. Steps, all deterministic:

1. Decode the quantised, delta-encoded TopoJSON arcs to longitude/latitude.
2. Key countries by ISO 3166-1 alpha-2 (pycountry maps the numeric ids); Kosovo, which has no
   numeric id, becomes XK; N. Cyprus is dissolved into CY and Aland into FI (shared arcs removed).
3. Keep European countries (EU, EEA, UK, CH, Western Balkans, UA, MD, BY, TR, microstates,
   crown dependencies, plus RU, GE, AM, AZ) and, as one unlinked "context" path, all other land
   near Europe. Polygons under MIN_AREA_KM2 are dropped (the largest polygon of each country is
   always kept, so microstates stay).
4. Project with a spherical Lambert azimuthal equal-area projection centred on 10E 52N (the
   centre of EPSG:3035, the EU's statistical map projection). The frame (viewBox) is the bounding
   box, plus MARGIN, of the European countries' polygons whose centre lies in lon -25..45,
   lat 34..72 (so Svalbard, the Canaries and the Azores do not stretch it), scaled to
   WIDTH. All outlines are cut BEYOND units outside the frame: the choropleth draws only rings
   that reach into the frame, while locator maps near its edges (Malta, Iceland, the Canaries,
   the Azores) still have land around them. Russia is cut there too.
5. Simplify each TopoJSON arc once with Douglas-Peucker (TOLERANCE in viewBox units), so that
   neighbours share the very same simplified border (no slivers or gaps), then rebuild the rings.
6. Write paths with coordinates rounded to 0.1: an absolute `M` per ring, then relative `l`.
"""

import hashlib
import json
import math
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).with_name("europe.json")
SOURCE = ("Natural Earth 1:50m Admin 0 countries, version 4.1.0, via the npm package "
          "world-atlas@2.0.2 (countries-50m.json); made by builder/data/make_europe.py")
LICENCE = ("Natural Earth data: public domain (https://www.naturalearthdata.com/about/terms-of-use/). "
           "world-atlas packaging: ISC licence, Copyright 2013-2019 Michael Bostock.")
LON0, LAT0 = 10.0, 52.0
BOX = (-25.0, 34.0, 45.0, 72.0)  # lon min, lat min, lon max, lat max
WIDTH, MARGIN = 1000, 8
BEYOND = 360  # outlines are kept this far outside the frame, for locator maps near its edges
TOLERANCE = 0.6  # Douglas-Peucker tolerance, viewBox units (1 unit is about 4.8 km)
MIN_AREA_KM2 = 120.0
EARTH_KM = 6371.0
FRAME = set("""AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE
    IS LI NO GB CH AL BA ME MK RS XK UA MD BY TR AD MC SM VA FO GG JE IM""".split())
KEEP = FRAME | {"RU", "GE", "AM", "AZ"}
BY_NAME = {"Kosovo": "XK", "N. Cyprus": "CY"}
MERGE = {"AX": "FI"}


def laea(lon: float, lat: float) -> tuple[float, float]:
    """Project degrees to the unit sphere's Lambert azimuthal equal-area plane (y north)."""
    lam, phi, phi0 = math.radians(lon - LON0), math.radians(lat), math.radians(LAT0)
    cosc = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
    k = math.sqrt(2 / (1 + cosc))
    return (k * math.cos(phi) * math.sin(lam),
            k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam)))


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Undo TopoJSON delta encoding and quantisation: arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def code_of(geometry: dict) -> str | None:
    """ISO alpha-2 code of a world-atlas geometry (numeric id, else by name), after merges."""
    code = BY_NAME.get(geometry["properties"]["name"])
    if code is None and geometry.get("id"):
        country = pycountry.countries.get(numeric=geometry["id"])
        code = country.alpha_2 if country else None
    return MERGE.get(code, code)


def ring_points(ring: list[int], arcs: list) -> list:
    """Concatenate the arcs of a ring (negative index = reversed arc), without repeated joints."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def stitch(polygons: list, arcs: list) -> list:
    """Dissolve arcs shared between the rings of one country and chain the rest into rings."""
    refs = [i for polygon in polygons for ring in polygon for i in ring]
    present = set(refs)
    left = [i for i in refs if ~i not in present]
    start = {ring_points([i], arcs)[0]: i for i in left}
    rings = []
    while start:
        first = min(start.values(), key=lambda i: (i < 0, abs(i)))
        ring, point = [], ring_points([first], arcs)[0]
        while point in start:
            ring.append(start.pop(point))
            point = ring_points([ring[-1]], arcs)[-1]
        rings.append([ring])
    return rings


def area(points: list) -> float:
    """Signed shoelace area of a ring."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1])) / 2


def centre_in_box(points: list) -> bool:
    """Whether the centre of a lon/lat ring's bounding box lies in BOX."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    lon, lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    return BOX[0] <= lon <= BOX[2] and BOX[1] <= lat <= BOX[3]


def near_europe(points: list) -> bool:
    """Coarse test that a lon/lat ring may reach the frame (for Russia and context land)."""
    return any(-45 <= lon <= 90 and 20 <= lat <= 85 for lon, lat in points)


def simplify(points: list, tolerance: float) -> list:
    """Douglas-Peucker: keep the ends and every point farther than tolerance from its chord."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        best, index = tolerance, None
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs(dx * (py - ay) - dy * (px - ax)) / length if length else math.hypot(px - ax, py - ay)
            if d > best:
                best, index = d, i
        if index is not None:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep) if k]


def clip(points: list, x0: float, y0: float, x1: float, y1: float) -> list:
    """Sutherland-Hodgman clipping of a ring to the rectangle x0..x1 x y0..y1."""
    edges = [(0, x0, 1), (0, x1, -1), (1, y0, 1), (1, y1, -1)]
    for axis, bound, sign in edges:
        inside = lambda p: (p[axis] - bound) * sign >= 0  # noqa: E731
        result = []
        for p, q in zip(points[-1:] + points[:-1], points):
            if inside(q) != inside(p):
                t = (bound - p[axis]) / (q[axis] - p[axis])
                result.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
            if inside(q):
                result.append(q)
        points = result
    return points


def fmt(tenths: int) -> str:
    """Format an integer number of tenths compactly: 123 -> 12.3, -5 -> -.5, 40 -> 4."""
    whole, frac = divmod(abs(tenths), 10)
    text = (str(whole) if whole or not frac else "") + (f".{frac}" if frac else "")
    return ("-" if tenths < 0 else "") + text


def path_of(rings: list) -> str:
    """SVG path data of rounded rings: `M` absolute start, then relative `l` steps, closed."""
    parts = []
    for ring in rings:
        pts = [(round(x * 10), round(y * 10)) for x, y in ring]
        pts = [p for p, q in zip(pts, pts[-1:] + pts[:-1]) if p != q] or pts[:1]
        nums = [fmt(b - a) for p, q in zip(pts, pts[1:]) for a, b in zip(p, q)]
        step = "".join(n if n.startswith("-") else " " + n for n in nums).lstrip()
        parts.append(f"M{fmt(pts[0][0])} {fmt(pts[0][1])}" + (f"l{step}" if step else "") + "z")
    return "".join(parts)


def select(topo: dict, arcs: list) -> tuple[dict, list]:
    """Polygons (as arc-index rings) of the kept countries by code, and of the context land."""
    grouped: dict[str, list] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        grouped.setdefault(code_of(geometry) or geometry["properties"]["name"], []).append(polygons)
    countries, context = {}, []
    for code, parts in sorted(grouped.items()):
        polygons = stitch([p for part in parts for p in part], arcs) if len(parts) > 1 else parts[0]
        if code in KEEP:
            countries[code] = [p for p in polygons if near_europe(ring_points(p[0], arcs))]
        else:
            context += [p for p in polygons if near_europe(ring_points(p[0], arcs))]
    return countries, context


def km2(polygon: list, arcs: list) -> float:
    """Area of a polygon's outer ring in square kilometres (the projection is equal-area)."""
    return abs(area([laea(*p) for p in ring_points(polygon[0], arcs)])) * EARTH_KM ** 2


def prune(countries: dict, arcs: list) -> dict:
    """Drop polygons under MIN_AREA_KM2, always keeping each country's largest one."""
    pruned = {}
    for code, polygons in countries.items():
        sizes = [km2(p, arcs) for p in polygons]
        pruned[code] = [p for p, s in zip(polygons, sizes) if s >= MIN_AREA_KM2 or s == max(sizes)]
    return pruned


def frame(countries: dict, arcs: list) -> dict:
    """Projection parameters fitting the FRAME countries into WIDTH with MARGIN."""
    rings = [ring_points(poly[0], arcs) for code in FRAME for poly in countries.get(code, [])]
    pts = [laea(*p) for ring in rings if centre_in_box(ring) for p in ring]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    scale = round((WIDTH - 2 * MARGIN) / (max(xs) - min(xs)), 3)
    x0, y0 = round(MARGIN - scale * min(xs), 3), round(MARGIN + scale * max(ys), 3)
    height = math.ceil(y0 - scale * min(ys) + MARGIN)
    return {"name": "Lambert azimuthal equal-area (spherical)", "lon0": LON0, "lat0": LAT0,
            "scale": scale, "x0": x0, "y0": y0, "width": WIDTH, "height": height,
            "formula": "x = x0 + scale * X, y = y0 - scale * Y, (X, Y) = LAEA on the unit sphere"}


def rings_of(polygons: list, simple: list, full, always: bool, size: tuple) -> list:
    """Simplified rings clipped to the frame; collapsed ones dropped, unless `always` needs one."""
    rings = []
    for polygon in polygons:
        for n, ring in enumerate(polygon):
            pts = clip(ring_points(ring, simple)[:-1], *size)
            if len(pts) >= 3 and abs(area(pts)) >= 0.5:
                rings.append(pts)
            elif n == 0:
                break
    if not rings and always and polygons:
        rings = [ring_points(polygons[0][0], full)]
    return rings


def main(source: str) -> None:
    """Read the TopoJSON at `source` and write OUT."""
    raw = Path(source).read_bytes()
    topo = json.loads(raw)
    arcs = decode_arcs(topo)
    countries, context = select(topo, arcs)
    countries = prune(countries, arcs)
    context = prune({"": context}, arcs)[""]
    countries = {c: sorted(p, key=lambda poly: -km2(poly, arcs)) for c, p in countries.items()}
    proj = frame(countries, arcs)
    used = {i if i >= 0 else ~i for polys in [*countries.values(), context]
            for poly in polys for ring in poly for i in ring}
    simple, full = [None] * len(arcs), [None] * len(arcs)
    for i in sorted(used):
        full[i] = [(proj["x0"] + proj["scale"] * x, proj["y0"] - proj["scale"] * y)
                   for x, y in (laea(*p) for p in arcs[i])]
        simple[i] = simplify(full[i], TOLERANCE)
    size = (-BEYOND, -BEYOND, proj["width"] + BEYOND, proj["height"] + BEYOND)
    paths = {c: path_of(rings_of(p, simple, full, c in FRAME, size)) for c, p in sorted(countries.items())}
    data = {"source": SOURCE, "source_sha256": hashlib.sha256(raw).hexdigest(), "licence": LICENCE,
            "projection": proj,
            "viewBox": f"0 0 {proj['width']} {proj['height']}",
            "countries": {c: d for c, d in paths.items() if d},
            "context": path_of(rings_of(context, simple, full, False, size))}
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(data['countries'])} countries)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
