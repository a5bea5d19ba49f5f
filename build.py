#!/usr/bin/env python3
"""The practice portal builder's command line: `python build.py [build|check] [options]`."""

import argparse
import sys
from pathlib import Path

from builder.build import Paths, build, check_content
from builder.cache import Cache
from builder.config import load_config
from builder.problems import WARNING, ContentError, errors
from builder.report import print_problems
from builder.search import SearchIndexError
from builder.workers import default_jobs

ROOT = Path(__file__).resolve().parent


def parser() -> argparse.ArgumentParser:
    """The command-line options and subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", type=Path, default=ROOT / "content", help="content folder (default: content/)")
    common.add_argument("--output", type=Path, default=ROOT / "_site", help="output folder (default: _site/)")
    common.add_argument("--base-url", help="the address the site is published at, e.g. https://org.github.io/portal/")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--jobs", type=int, default=default_jobs(),
                        help="processes for Markdown and templates (default: the CPUs available)")
    common.add_argument("--cache-dir", type=Path, default=ROOT / ".cache",
                        help="where parsed and rendered content is kept between builds (default: .cache/)")
    common.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    main = argparse.ArgumentParser(description=__doc__, parents=[common])
    commands = main.add_subparsers(dest="command")
    commands.add_parser("build", parents=[common], help="check the content and build the site (default)")
    commands.add_parser("check", parents=[common], help="check the content only")
    return main


def main(argv: list[str] | None = None) -> int:
    """Run a command; exit 0 on success, 1 on content problems, 2 on other failures."""
    args = parser().parse_args(argv)
    paths = Paths(args.content, ROOT / "templates", ROOT / "static", args.output)
    config = load_config(ROOT / "pyproject.toml", base_url=args.base_url)
    if args.command == "check":
        cache = Cache(None if args.no_cache else args.cache_dir)
        problems = check_content(paths, cache).problems
        cache.save()
        print_problems(problems)
        return 1 if errors(problems) or (args.strict and problems) else 0
    try:
        cache = Cache(None if args.no_cache else args.cache_dir)
        content = build(paths, config, cache=cache, jobs=max(1, args.jobs))
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


if __name__ == "__main__":
    sys.exit(main())
