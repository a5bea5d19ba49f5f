"""The pathological inputs of cmark's test suite, each cut to about 50 KB.

Ported from commonmark/cmark, test/pathological_tests.py (BSD-2-Clause, © 2014 John MacFarlane): the
patterns are theirs, generated here rather than copied; the sizes are ours. Plus the input that
stalled the portal's builds: `[x](` repeated.
"""

SIZE = 50_000


def repeat(pattern: str, size: int = SIZE) -> str:
    """`pattern` repeated to about `size` characters."""
    return pattern * max(1, size // len(pattern))


def half(opening: str, closing: str, middle: str = "") -> str:
    """`opening` repeated, `middle`, then `closing` repeated, about `size` characters in all."""
    count = SIZE // (len(opening) + len(closing)) // 1
    return opening * count + middle + closing * count


CASES = {
    "nested strong emph": half("*a **a ", " a** a*", "b"),
    "many emph closers with no openers": repeat("a_ "),
    "many emph openers with no closers": repeat("_a "),
    "many link closers with no openers": repeat("a]"),
    "many link openers with no closers": repeat("[a"),
    "mismatched openers and closers": repeat("*a_ "),
    "issue #389": half("*a ", "_a*_ "),
    "openers and closers multiple of 3": "a**b" + repeat("c* "),
    "link openers and emph closers": repeat("[ a_"),
    "pattern [ (]( repeated": repeat("[ (]("),
    "pattern ![[]() repeated": repeat("![[]()"),
    "nested brackets": half("[", "]", "a"),
    "nested block quotes": repeat("> ") + "a",
    "deeply nested lists": "".join("  " * depth + "* a\n" for depth in range(220)),
    "U+0000 in input": repeat("abc\u0000de\u0000"),
    "backticks": "".join("e" + "`" * count for count in range(1, 316)),
    "unclosed links A": repeat("[a](<b"),
    "unclosed links B": repeat("[a](b"),
    "unclosed <!--": "</" + repeat("<!--"),
    "empty lines in deeply nested lists": repeat("- ", SIZE // 2) + "x" + "\n" * (SIZE // 2),
    "empty lines in deeply nested lists in blockquote": "> " + repeat("- ", SIZE // 3) + "x\n" + repeat(">\n", SIZE // 3),
    "emph in deep blockquote": repeat(">", SIZE // 2) + repeat("a*", SIZE // 2),
    "reference collisions": "".join(f"[x{i}]: /url\n\n[x0]\n\n" for i in range(2500)),
    "nested inlines": half("*", "*", "a"),
    "unclosed link destinations (the portal's own)": repeat("[x]("),
}
