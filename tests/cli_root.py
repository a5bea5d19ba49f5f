"""`python tests/cli_root.py ROOT ARGS...`: build.py's own command line, with ROOT as the project root.

Tests that need their own `static/` folder (or templates) run the real command line through this:
the same parsing, locking and error handling as `python build.py ARGS...`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import build  # noqa: E402

if __name__ == "__main__":
    build.ROOT = Path(sys.argv[1]).resolve()
    sys.exit(build.main(sys.argv[2:]))
