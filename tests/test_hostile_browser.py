"""Every page of a site built from hostile content, loaded in Chromium: no dialog opens, no script of the content runs."""

import json
import os
import re

import pytest

from conftest import build_into, free_port, serve_folder
from hostile import BODY, make_tree, practice
from test_properties import HOSTILE

PAYLOADS = [text.replace("src=x", "src=favicon.svg") for text in HOSTILE.elements]  # missing files would stop the build


def hostile_practice(payload: str) -> str:
    """A practice with the payload in every text field, a keyword, the contact's name and the body."""
    quoted = json.dumps(payload)  # a JSON string is a YAML double-quoted scalar
    keyword = json.dumps(payload[:40])
    front = (f"title: {json.dumps(payload[:90])}\nsummary: {quoted}\nregion: posavje\nthemes: [research-and-innovation]\n"
             f"organisation: {quoted}\nlevel: regional\npublished: 2021-03-15\nkeywords: [{keyword}]\n"
             f"project: {quoted}\ncontact:\n  name: {quoted}\n")
    return practice(front, f"{payload}\n\n{BODY}\n{payload}\n")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The hostile site built for and served at `http://127.0.0.1:PORT/portal/`; yields (base URL, folder)."""
    root = tmp_path_factory.mktemp("hostile-site")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        make_tree(root, {f"hostile-{number:02d}.md": hostile_practice(payload) for number, payload in enumerate(PAYLOADS)})
    finally:
        os.chdir(cwd)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/portal/"
    build_into(root / "content", root / "served" / "portal", base_url)
    server = serve_folder(root / "served", port)
    yield base_url, root / "served" / "portal"
    server.shutdown()


def test_no_page_of_a_hostile_build_opens_a_dialog_or_runs_script(hostile_site, page):
    base_url, folder = hostile_site
    dialogs, blocked = [], []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(f"{page.url}: {message.text}"))
    pages = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))
    assert len([name for name in pages if name.startswith("practices/hostile-")]) == len(PAYLOADS)
    for name in pages:
        page.goto(base_url + re.sub(r"(^|/)index\.html$", r"\1", name), wait_until="load")
        page.wait_for_timeout(50)  # handlers such as onload or ontoggle fire just after loading
        assert page.evaluate("() => document.querySelectorAll('script:not([src]):not([type=\"application/ld+json\"])').length") == 0
    assert dialogs == [] and blocked == []
