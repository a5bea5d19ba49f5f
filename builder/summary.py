"""The pull-request preview: each changed practice or region with its problems and its rendered text, for a job summary."""

import html
from pathlib import Path

from .build import Paths, build_model, check
from .config import Config
from .model import Practice
from .problems import WARNING, errors

LIMIT = 900_000  # GitHub keeps at most 1 MiB of summary per step; the rest of the site is in the artifact
ARTIFACT_NOTE = "The whole site built from this pull request is the artifact <code>site</code> of this run (download it from the run's summary page)."


def esc(value) -> str:
    """Text for the summary's HTML: every character of the content shown, none of it markup."""
    return html.escape(str(value), quote=True)


def block(markup: str) -> str:
    """HTML that stays one HTML block in GitHub's Markdown: a blank line would end it and let Markdown read the rest."""
    while "\n\n" in markup:
        markup = markup.replace("\n\n", "\n&#32;\n")
    return markup.strip("\n")


def problem_list(problems: list) -> str:
    """The problems of one file, errors first, as a list."""
    items = [f"<li>{'⚠️ warning' if p.severity == WARNING else '❌ error'}: <code>{esc(p.path)}:{p.line}</code> {esc(p.message)}</li>"
             for p in sorted(problems, key=lambda p: (p.severity == WARNING, p.line))]
    return "<ul>\n" + "\n".join(items) + "\n</ul>" if items else "<p>✅ No problems.</p>"


def facts_table(rows: list[tuple[str, str]]) -> str:
    """Key facts as a two-column table; the values are already escaped."""
    return "<table>\n" + "\n".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows if value) + "\n</table>"


def practice_text(practice) -> str:
    """A practice as its page shows it: title, summary, key facts and the sanitised sections."""
    contact = " ".join(esc(value) for value in practice.contact.values() if value)
    rows = [("Organisation", esc(practice.organisation)), ("Region", esc(f"{practice.region.name}, {practice.country.name}")),
            ("Themes", esc(", ".join(theme.name for theme in practice.themes))), ("Level", esc(practice.level)),
            ("Status", esc(practice.status)), ("Published", esc(practice.published.isoformat())),
            ("Updated", esc(practice.updated.isoformat()) if practice.updated else ""),
            ("Running", esc(f"{practice.start} – {practice.end or 'ongoing'}") if practice.start else ""),
            ("Project", esc(practice.project or "")), ("Website", esc(practice.website or "")), ("Contact", contact),
            ("Keywords", esc(", ".join(practice.keywords))), ("Page", f"<code>{esc(practice.url)}</code>")]
    opinion = "".join(f"<p>{esc(paragraph)}</p>\n" for paragraph in practice.expert_opinion)
    sources = "".join(f"<li>{esc(source['title'])}: {esc(source['url'])}</li>\n" for source in practice.sources)
    return (f"<h4>{esc(practice.title)}</h4>\n<p><em>{esc(practice.summary)}</em></p>\n{facts_table(rows)}\n{practice.body.html}"
            + (f"\n<h2>Expert opinion</h2>\n{opinion}" if opinion else "") + (f"\n<h2>Sources</h2>\n<ul>\n{sources}</ul>" if sources else ""))


def region_text(region) -> str:
    """A region as its page shows it: name, country, NUTS code, point and description."""
    rows = [("Country", esc(f"{region.country.name} ({region.country.code})")), ("NUTS", esc(region.nuts or "")),
            ("Point", esc(f"{region.lat}, {region.lon}")), ("Page", f"<code>{esc(region.url)}</code>")]
    return f"<h4>{esc(region.name)}</h4>\n{facts_table(rows)}\n{region.body.html}"


def content_files(changed: list[str], content: Path) -> tuple[list[Path], int]:
    """The changed practice and region files (and the themes file), and how many other files changed."""
    folders = {(content / "practices").resolve(), (content / "regions").resolve()}
    wanted = [Path(name) for name in changed
              if (Path(name).resolve().parent in folders and name.endswith(".md")) or Path(name).resolve() == (content / "themes.yaml").resolve()]
    return wanted, len(changed) - len(wanted)


def summary(paths: Paths, config: Config, changed: list[str]) -> str:
    """The job summary for the changed files: each with its problems and, when the site builds, its text."""
    files, others = content_files(changed, paths.content)
    content = check(paths, config)
    site = None if errors(content.problems) else build_model(content, paths, config)
    items = [] if site is None else site.practices + site.regions
    documents = {(paths.content / item.source.removeprefix("content/")).resolve(): item for item in items}
    found = len(errors(content.problems))
    head = (f"## Preview of this pull request\n\n{plural(len(files), 'practice or region file')} changed"
            + (f", and {plural(others, 'other file')}" if others else "") + ". "
            + ("The site builds." if site else f"The site does not build yet: {plural(found, 'error')} to fix (below, and in the check's annotations).")
            + f"\n\n{ARTIFACT_NOTE}\n")
    parts, size, left = [head], len(head), 0
    for path in files:
        part = file_part(path, content.problems, documents.get(path.resolve()), site is not None)
        if size + len(part) > LIMIT:
            left += 1
            continue
        parts.append(part)
        size += len(part)
    if left:
        parts.append(f"{plural(left, 'more file')} did not fit in this summary; see the artifact.\n")
    return "\n".join(parts)


def file_part(path: Path, problems: list, item, built: bool) -> str:
    """One changed file: its name, its problems and its rendered text (or why there is none)."""
    title = f"### <code>{esc(path.as_posix())}</code>\n\n"
    if not path.exists():
        return title + "Deleted in this pull request: its page will no longer be published.\n"
    mine = [problem for problem in problems if Path(problem.path).resolve() == path.resolve()]
    text = ""
    if item is not None:
        text = practice_text(item) if isinstance(item, Practice) else region_text(item)
    elif path.suffix == ".md":
        text = "<p>The text appears here once the site builds.</p>" if not built else ""
    return title + block(problem_list(mine) + ("\n<details open><summary>How it will read</summary>\n" + text + "\n</details>" if text else "")) + "\n"


def plural(count: int, word: str) -> str:
    """`1 file`, `2 files`."""
    return f"{count} {word}{'' if count == 1 else 's'}"
