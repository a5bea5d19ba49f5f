#!/usr/bin/env python3
"""The practice portal builder's command line: `python build.py [build|check|serve|new|contributing] [options]`.

Exit codes: 0 success; 1 content errors (or warnings with --strict); 2 another failure (bad arguments,
a file that `new` would overwrite, the search indexer, a full disk, another build holding the output,
an internal error).
"""

import argparse
import os
import sys
from pathlib import Path

from builder.build import Paths, build
from builder.build import check as check_content_and_site
from builder.cache import Cache
from builder.config import load_config
from builder.faults import explain
from builder.lock import Busy, building
from builder.problems import WARNING, ContentError, display_path, errors
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
    config = load_config(ROOT / "pyproject.toml", base_url=args.base_url)
    if args.command in EDITOR_COMMANDS:
        return EDITOR_COMMANDS[args.command](args, paths, config)
    try:
        cache = Cache(None if args.no_cache else args.cache_dir)
        with building(args.output, None if args.no_cache else args.cache_dir):
            content = build(paths, config, force=args.force, cache=cache, jobs=max(1, args.jobs))
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


def check(args, paths: Paths, config) -> int:
    """`check [FILE...]`: print every problem; 1 on errors (or any warning with --strict)."""
    if args.external and os.environ.get("CI"):
        print("--external is ignored on CI: other sites' answers must not decide whether a build passes.", file=sys.stderr)
    problems = check_content_and_site(paths, config, external=args.external and not os.environ.get("CI"),
                                      only=args.files or None).problems
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


EDITOR_COMMANDS = {"check": check, "serve": serve, "new": new, "contributing": contributing}


if __name__ == "__main__":
    sys.exit(main())
