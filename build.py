#!/usr/bin/env python3
"""The practice portal builder's command line: `python build.py [build|check|serve|new|contributing|format|import|summary|issue-form|propose] [options]`.

Exit codes: 0 success; 1 content errors (or warnings with --strict); 2 another failure (bad arguments or
settings, a template error, a file that `new` would overwrite, the search indexer, a full disk, another
build holding the output, an internal error).
"""

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

from builder.build import Paths, build
from builder.build import check as check_content_and_site
from builder.cache import Cache
from builder.config import ConfigError, load_config
from builder.format import format_file
from builder.faults import explain
from builder.lock import Busy, building
from builder.problems import WARNING, ContentError, display_path, errors
from builder.produce import TemplateFailure
from builder.report import print_problems
from builder.scaffold import ScaffoldError, new_practice, next_steps, with_fields
from builder.search import SearchIndexError
from builder.write import OutputError
from builder.workers import default_jobs

ROOT = Path(__file__).resolve().parent


def common_options(defaults: bool) -> argparse.ArgumentParser:
    """Options every command takes; a subcommand's copy keeps no defaults, so it never undoes `--strict check`."""
    keep = (lambda value: value) if defaults else (lambda value: argparse.SUPPRESS)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", type=Path, default=keep(ROOT / "content"), help="content folder (default: content/)")
    common.add_argument("--output", type=Path, default=keep(ROOT / "_site"), help="output folder (default: _site/)")
    common.add_argument("--base-url", default=keep(None), help="the address the site is published at, e.g. https://org.github.io/portal/")
    common.add_argument("--strict", action="store_true", default=keep(False), help="treat warnings as errors")
    common.add_argument("--force", action="store_true", default=keep(False),
                        help="build into an output folder that holds files the builder did not write")
    common.add_argument("--jobs", type=int, default=keep(default_jobs()),
                        help="processes for Markdown and templates (default: the CPUs available)")
    common.add_argument("--cache-dir", type=Path, default=keep(ROOT / ".cache"),
                        help="where parsed and rendered content is kept between builds (default: .cache/)")
    common.add_argument("--no-cache", action="store_true", default=keep(False), help="neither read nor write the cache")
    common.add_argument("--debug", action="store_true", default=keep(False),
                        help="print the full traceback of an internal error instead of writing it to a log file")
    return common


def parser() -> argparse.ArgumentParser:
    """The command-line options and subcommands."""
    main = argparse.ArgumentParser(description=__doc__, parents=[common_options(True)])
    common = common_options(False)
    commands = main.add_subparsers(dest="command")
    commands.add_parser("build", parents=[common], help="check the content and build the site (default)")
    check = commands.add_parser("check", parents=[common], help="check the content only (or just FILE...)")
    check.add_argument("files", nargs="*", type=Path, metavar="FILE", help="check only these files, against all content")
    check.add_argument("--external", action="store_true",
                       help="also request every external link over HTTP (slow; needs the network; not for CI)")
    serve = commands.add_parser("serve", parents=[common], help="preview the site at http://127.0.0.1:PORT/, rebuilt on every save")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    new = commands.add_parser("new", parents=[common], help="write a new practice file, ready to fill in")
    new.add_argument("title", help='the practice\'s title, e.g. "House of Digitalisation"')
    commands.add_parser("contributing", parents=[common], help="regenerate the field tables in CONTRIBUTING.md")
    sheet = commands.add_parser("import", parents=[common], help="write one practice file per row of FILE.csv or FILE.xlsx")
    sheet.add_argument("sheet", type=Path, metavar="FILE", help="a .csv or .xlsx file with the columns of data/practices.csv")
    sheet.add_argument("--replace", action="store_true", help="overwrite practice files that already exist")
    sheet.add_argument("--write-valid", action="store_true", help="write the rows without errors even when others have some")
    commands.add_parser("issue-form", parents=[common], help="regenerate the issue form for proposing a practice")
    propose = commands.add_parser("propose", parents=[common], help="write the practice that an issue made with the form proposes")
    source = propose.add_mutually_exclusive_group(required=True)
    source.add_argument("--event", type=Path, help="the GitHub event file of the issue ($GITHUB_EVENT_PATH)")
    source.add_argument("--body", type=Path, help="a file holding the issue's text")
    propose.add_argument("--comment", type=Path, help="write the reply to the proposer (Markdown) to this file")
    propose.add_argument("--date", type=datetime.date.fromisoformat, help="the practice's `published` date (default: the issue's, or today)")
    summary = commands.add_parser("summary", parents=[common], help="a pull request's preview (Markdown) for the changed FILEs")
    summary.add_argument("files", nargs="*", metavar="FILE", help="the files the pull request changes, added or deletes")
    formatter = commands.add_parser("format", parents=[common],
                                    help="rewrite FILE... so the portal shows it as GitHub's preview does (indents, empty lines)")
    formatter.add_argument("files", nargs="+", type=Path, metavar="FILE", help="the practice or region files to rewrite")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run a command; exit 0 on success, 1 on content problems, 2 on other failures."""
    args = parser().parse_args(argv)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except Exception as error:  # the one place that catches the unexpected, for every command
        return explain(error, args.debug)


def run(args) -> int:
    """Run the command `args` names."""
    paths = Paths(args.content, ROOT / "templates", ROOT / "static", args.output)
    try:
        config = load_config(ROOT / "pyproject.toml", base_url=args.base_url)
        if args.command in EDITOR_COMMANDS:
            return EDITOR_COMMANDS[args.command](args, paths, config)
        with building(args.output, None if args.no_cache else args.cache_dir):
            content = build(paths, config, force=args.force, cache=cache_of(args), jobs=max(1, args.jobs))
    except (ConfigError, TemplateFailure) as error:  # not the content's fault: exit 2, like any other failure
        print_problems(error.problems)
        if args.command in (None, "build"):
            print(f"Nothing was written; {args.output} is unchanged.", file=sys.stderr)
        return 2
    except (OutputError, Busy) as error:
        print(error, file=sys.stderr)
        return 2
    except ContentError as error:
        print_problems(error.problems)
        print(f"Nothing was written; {args.output} is unchanged.", file=sys.stderr)
        return 1
    except SearchIndexError as error:
        print(error, file=sys.stderr)
        return 2
    print_problems(content.problems)
    if args.strict and any(problem.severity == WARNING for problem in content.problems):
        return 1
    print(f"Built the site into {args.output}.")
    return 0


def cache_of(args) -> Cache:
    """The build cache the options ask for (kept in memory only with --no-cache)."""
    return Cache(None if args.no_cache else args.cache_dir)


def check(args, paths: Paths, config) -> int:
    """`check [FILE...]`: print every problem; 1 on errors (or any warning with --strict)."""
    if args.external and os.environ.get("CI"):
        print("--external is ignored on CI: other sites' answers must not decide whether a build passes.", file=sys.stderr)
    problems = check_content_and_site(paths, config, external=args.external and not os.environ.get("CI"),
                                      only=args.files or None, cache=cache_of(args), jobs=max(1, args.jobs)).problems
    print_problems(problems)
    if not problems:
        print(f"No problems in {plural_files(args.files) if args.files else display_path(args.content)}.")
    return 1 if errors(problems) or (args.strict and problems) else 0


def plural_files(files: list[Path]) -> str:
    """`x.md` or `3 files`."""
    return display_path(files[0]) if len(files) == 1 else f"{len(files)} files"


def serve(args, paths: Paths, config) -> int:
    """`serve [--port N]`: the live preview, until Ctrl+C."""
    from builder.serve import run

    return run(paths, ROOT / "pyproject.toml", args.port)


def new(args, paths: Paths, config) -> int:
    """`new "Title"`: write a practice file with every field and section; never overwrite one."""
    try:
        path = new_practice(args.content, args.title)
    except ScaffoldError as error:
        print(f"Nothing was written: {error}.", file=sys.stderr)
        return 2
    print(next_steps(path))
    return 0


def contributing(args, paths: Paths, config) -> int:
    """`contributing`: regenerate the field tables of CONTRIBUTING.md from the schema."""
    path = ROOT / "CONTRIBUTING.md"
    path.write_text(with_fields(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"Updated the field tables in {path.name}.")
    return 0


def issue_form(args, paths: Paths, config) -> int:
    """`issue-form`: regenerate .github/ISSUE_TEMPLATE/propose-practice.yml from the schema and the content."""
    from builder.proposal import FORM, issue_form as form

    (ROOT / FORM).parent.mkdir(parents=True, exist_ok=True)
    (ROOT / FORM).write_text(form(args.content), encoding="utf-8")
    print(f"Updated {FORM.as_posix()}.")
    return 0


def propose(args, paths: Paths, config) -> int:
    """`propose --event FILE | --body FILE`: the proposed practice file, or the problems as a comment; 1 on errors."""
    from builder.proposal import comment, propose as write_proposal

    if args.event:
        issue = json.loads(args.event.read_text(encoding="utf-8")).get("issue") or {}
        body, opened = issue.get("body") or "", (issue.get("created_at") or "")[:10]
    else:
        body, opened = args.body.read_text(encoding="utf-8"), ""
    date = args.date or (datetime.date.fromisoformat(opened) if opened else datetime.date.today())
    path, problems = write_proposal(body, paths, config, date)
    reply = comment(path, problems)
    if args.comment:
        args.comment.write_text(reply, encoding="utf-8")
    print(reply, file=sys.stdout if path else sys.stderr)
    if path and os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as output:
            output.write(f"file={path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path}\nslug={path.stem}\n")
    return 0 if path else 1


def summary(args, paths: Paths, config) -> int:
    """`summary FILE...`: each changed practice or region with its problems and its text, for $GITHUB_STEP_SUMMARY."""
    from builder.summary import summary as preview

    print(preview(paths, config, args.files))
    return 0


def import_sheet(args, paths: Paths, config) -> int:
    """`import FILE`: one practice per row; nothing written while any row has an error, unless --write-valid."""
    from builder.importer import SheetError, import_sheet as run_import

    try:
        problems, written = run_import(args.sheet, paths, config, overwrite=args.replace, write_valid=args.write_valid)
    except (SheetError, OSError) as error:
        print(f"Nothing was written: {error}", file=sys.stderr)
        return 2
    print_problems(problems)
    failed = len({problem.line for problem in errors(problems)})
    if failed and not written:
        print(f"Nothing was written: {failed} row(s) have errors. Fix them, or pass --write-valid to write the other rows.", file=sys.stderr)
    else:
        print(f"Wrote {len(written)} practice file(s) to {display_path(paths.content / 'practices')}." if written
              else "The sheet has no rows to import.")
    return 1 if failed else 0


def format_files(args, paths: Paths, config) -> int:
    """`format FILE...`: rewrite each file's body where the portal would show it otherwise than GitHub; 2 if one is missing."""
    missing = [path for path in args.files if not path.is_file()]
    for path in missing:
        print(f"{display_path(path)}: there is no such file", file=sys.stderr)
    for path in args.files:
        if path.is_file():
            print(f"{display_path(path)}: {'formatted' if format_file(path) else 'unchanged'}")
    return 2 if missing else 0


EDITOR_COMMANDS = {"check": check, "serve": serve, "new": new, "contributing": contributing, "format": format_files,
                   "import": import_sheet, "summary": summary, "issue-form": issue_form, "propose": propose}


if __name__ == "__main__":
    sys.exit(main())
