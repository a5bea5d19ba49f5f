"""Editor-style Markdown snippets: what editors type in GitHub's web editor, and what the portal makes of it.

Each entry is (snippet, expected): `None` when the portal renders it as GitHub's preview does, otherwise
the (line, warning) that `check` gives. bench/fidelity.py measures the share that render alike.
"""

BLANK = "leave an empty line before this {}: without it the portal shows it as part of the paragraph above"
NEST = "this sub-list will not be nested on the portal: indent it by {} spaces"
STAY = "this text will not stay in its list item on the portal: indent it by {} spaces, or leave an empty line and no indent to end the list"
HTML = ("the portal shows Markdown inside an HTML block as typed, GitHub formats it; "
        "write this part either in Markdown without the HTML tags or in HTML only")
CODE = "the portal cannot show a code block inside a list item; put it after the list, without indent"

SNIPPETS = [
    # Lists, as editors write them under a lead-in line.
    ("The programme offers:\n- advice\n- vouchers\n", (2, BLANK.format("list"))),
    ("The steps were:\n1. a call\n2. a jury\n", (2, BLANK.format("list"))),
    ("The programme offers:\n\n- advice\n- vouchers\n", None),
    ("* one\n* two\n", None),
    ("+ one\n+ two\n", None),
    ("1) first\n2) second\n", None),
    ("3. third\n4. fourth\n", None),
    ("- advice\n  - for start-ups\n  - for SMEs\n", (2, NEST.format(4))),
    ("1. advice\n   - for start-ups\n", (2, NEST.format(4))),
    ("- advice\n    - for start-ups\n        - in towns\n", None),
    ("- advice\n\n  More about advice.\n", (3, STAY.format(4))),
    ("- advice\n\n    More about advice.\n", None),
    ("- one\n- two\n\n- three\n", None),
    ("- one\ncontinued lazily\n- two\n", None),
    ("- [x] call published\n- [ ] jury chosen\n", None),
    ("- a\n\n  ```\n  code\n  ```\n", (3, CODE)),
    ("- a\n\n    ```\n    code\n    ```\n", (3, CODE)),
    # Inline text.
    ("See www.ecoplus.at or https://www.interregeurope.eu/ for more.\n", None),
    ("Write to info@example.org.\n", None),
    ("The ~~old~~ new scheme.\n", None),
    ("Line one\\\nline two\n", None),
    ("Line one  \nline two\n", None),
    ("snake_case_name and file_name_here\n", None),
    ("A **bold** and *italic* and _italic_ word.\n", None),
    ("Costs \\$5 \\& more, C:\\Users stays.\n", None),
    ("##NoSpace is not a heading\n", None),
    ("#5 in the ranking\n", None),
    ("Use `code` here.\n", None),
    ("A [link](https://example.org \"title\") and <https://example.org>.\n", None),
    ("5 * 3 * 2 = 30\n", None),
    ("Figures: 2 < 3 and 4 > 1.\n", None),
    ("Fußnote[^1].\n\n[^1]: Quelle: Statistik Austria.\n", None),
    ("Ελληνικά, čeština, Ærø, Łódź, Iași.\n", None),
    # Headings.
    ("## Description\n\nText.\n", None),
    ("Text\n## Heading straight after text\n", None),
    ("Title\n=====\n\nText.\n", None),
    ("## Closed heading ##\n", None),
    # Blocks.
    ("> A quote\n> on two lines.\n", None),
    ("Text\n> quote straight after text\n", None),
    ("Text\n\n---\n\nMore.\n", None),
    ("```\ncode\n```\n", None),
    ("~~~\ncode\n~~~\n", None),
    ("Text\n```\nfenced straight after text\n```\n", None),
    ("    indented code\n", None),
    # Tables.
    ("| Year | Firms |\n|---|--:|\n| 2019 | 12 |\n", None),
    ("| Left | Centre | Right |\n|:--|:-:|--:|\n| a | b | c |\n", None),
    ("Year | Firms\n--- | ---\n2019 | 12\n", None),
    ("The results:\n| Year | Firms |\n|---|---|\n| 2019 | 12 |\n", (2, BLANK.format("table"))),
    # Raw HTML.
    ("<div>\n\n*emphasis inside a div*\n\n</div>\n", (3, HTML)),
    ("<details><summary>More</summary>Plain text.</details>\n", None),
    ("Text with <b>bold</b> HTML.\n", None),
    ("<!-- a note for editors -->\n\nText.\n", None),
]
