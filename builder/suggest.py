"""What to suggest when a region or theme is not one of those known: the nearest by id or by name, or the list."""

import difflib
import re


def labels(docs: list) -> dict[str, str]:
    """The id of each region or theme with its name, for suggestions by either."""
    return {doc.slug: doc.meta.get("name") if isinstance(doc.meta.get("name"), str) else "" for doc in docs}


def choices(value, options: dict[str, str], many: int = 8) -> str:
    """What to write instead of `value`: the nearest option by id or by name, and the valid ones (or the nearest few)."""
    options = options if isinstance(options, dict) else dict.fromkeys(options, "")
    words = set(re.split(r"[^a-z0-9]+", str(value).casefold())) - {""}

    def closeness(option):
        slug, name = option, options[option] or option
        named = " ".join(re.split(r"[^a-z0-9]+", name.casefold())).strip()
        contained = 0.9 if set(slug.split("-")) <= words or (named and set(named.split()) <= words) else 0
        return max(contained, difflib.SequenceMatcher(None, str(value).casefold(), slug).ratio(),
                   difflib.SequenceMatcher(None, str(value).casefold(), named).ratio())

    ranked = sorted(options, key=lambda option: (-closeness(option), option))
    listed = ", ".join(f"`{slug}` ({options[slug]})" if options[slug] else f"`{slug}`" for slug in (
        sorted(options) if len(options) <= many else ranked[:5]))
    listing = f"choose one of {listed}" if len(options) <= many else f"the nearest are {listed}"
    if ranked and closeness(ranked[0]) >= 0.6:
        best = ranked[0]
        return f"did you mean `{best}`" + (f" ({options[best]})" if options[best] else "") + "?"
    return listing
