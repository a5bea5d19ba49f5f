"""Related practices: those that share most themes, then region and country, newest first on ties.

Comparing every practice with every other is O(n²): 100 million pairs at 10,000 practices. The
score of one practice against another depends only on the two theme sets and whether the region
and the country are the same. So practices are grouped by theme set, and within a group, and
within a group's share of one region or country, every member scores the same against a given
practice: only the first few of each (in listing order) can make the top three. A practice in
the first few of its group is also in the first few of its group's share of its region and
country, so it is met first at its true score. The candidates are visited from the highest
score down, and the search stops once enough are found. The choice depends only on each practice's
themes, region and country in listing order, so with a cache it is made again only when one of those changed.
"""

import marshal
from collections import defaultdict

from .depends import PLAIN_MARSHAL

LIMIT = 3


def score(practice, other) -> int:
    """Two points per shared theme, one for the same region, one for the same country (the reference rule)."""
    shared = len({t.id for t in practice.themes} & {t.id for t in other.themes})
    return 2 * shared + (other.region is practice.region) + (other.country is practice.country)


def theme_set(practice) -> frozenset:
    """The ids of a practice's themes."""
    return frozenset(theme.id for theme in practice.themes)


def group_heads(practices: list, depth: int) -> tuple[dict, dict, dict]:
    """The first `depth` practices of each theme set: overall, and per region and per country."""
    overall = defaultdict(list)
    by_region, by_country = defaultdict(lambda: defaultdict(list)), defaultdict(lambda: defaultdict(list))
    for practice in practices:
        group = theme_set(practice)
        for members in (overall[group], by_region[practice.region.slug][group], by_country[practice.country.code][group]):
            if len(members) < depth:
                members.append(practice)
    return overall, by_region, by_country


def assign_related(practices: list, cache=None, limit: int = LIMIT) -> None:
    """Set `related` on every practice of `practices`, which must be sorted by `sort_key`; reused from `cache` when it can be."""
    traits = [(sorted(theme_set(p)), p.region.slug, p.country.code) for p in practices]
    key = cache.key("related", str(limit), marshal.dumps(traits, PLAIN_MARSHAL)) if cache else None
    chosen = cache.get("related", key) if key else None
    if is_choice(chosen, len(practices)):
        for practice, indexes in zip(practices, chosen):
            practice.related = [practices[index] for index in indexes]
        return
    choose_related(practices, limit)
    if key:
        position = {id(practice): index for index, practice in enumerate(practices)}
        cache.put("related", key, [[position[id(other)] for other in practice.related] for practice in practices])


def is_choice(value, count: int) -> bool:
    """Whether a cached value is a list of related positions for `count` practices."""
    return (isinstance(value, list) and len(value) == count and all(
        isinstance(indexes, list) and all(type(index) is int and 0 <= index < count for index in indexes) for indexes in value))


def choose_related(practices: list, limit: int) -> None:
    """Set `related` on every practice of `practices` (sorted by `sort_key`) by the grouped search."""
    depth = limit + 1  # one more, since a practice is never related to itself
    overall, by_region, by_country = group_heads(practices, depth)
    theme_levels, ranked = {}, {}
    for practice in practices:
        mine = theme_set(practice)
        if mine not in theme_levels:
            theme_levels[mine] = {points: sorted(members, key=lambda m: m.sort_key)
                                  for points, members in levels(mine, overall.items(), 0).items()}
        key = (mine, practice.region.slug)
        if key not in ranked:
            local = levels(mine, by_region[practice.region.slug].items(), 2)
            for points, members in levels(mine, by_country[practice.country.code].items(), 1).items():
                local[points] = local.get(points, []) + members
            ranked[key] = best(theme_levels[mine], local, depth)
        practice.related = [other for other in ranked[key] if other is not practice][:limit]


def levels(mine: frozenset, groups, bonus: int) -> dict[int, list]:
    """The members of the groups that score above zero against the theme set `mine`, by score."""
    found = defaultdict(list)
    for group, members in groups:
        points = 2 * len(mine & group) + bonus
        if points > 0:
            found[points].extend(members)
    return found


def best(overall: dict[int, list], local: dict[int, list], depth: int) -> list:
    """The first `depth` practices, highest score first and in listing order on ties."""
    chosen, seen = [], set()
    for points in sorted(set(overall) | set(local), reverse=True):
        fresh = {id(m): m for m in local.get(points, ()) if id(m) not in seen}
        for member in overall.get(points, ()):
            if len(fresh) >= depth + len(local.get(points, ())):
                break
            if id(member) not in seen:
                fresh[id(member)] = member
        chosen += sorted(fresh.values(), key=lambda member: member.sort_key)
        seen.update(fresh)
        if len(chosen) >= depth:
            break
    return chosen[:depth]
