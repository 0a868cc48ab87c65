"""Turn a PDF's pages into PNG images for a person to look at (not a test).

    python tools/report_pages.py report.pdf [--dpi 80]

Uses ``pdftoppm`` from Debian's poppler-utils; writes ``report-1.png``,
``report-2.png``... beside the PDF and prints their names.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def main() -> int:
    """Convert the pages; exit 1 when pdftoppm is missing or fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args()
    program = shutil.which("pdftoppm")
    if program is None:
        print("pdftoppm is not installed (apt-get install poppler-utils)", file=sys.stderr)
        return 1
    prefix = args.pdf.with_suffix("")
    done = subprocess.run(
        [program, "-png", "-r", str(args.dpi), str(args.pdf), str(prefix)], check=False
    )
    if done.returncode != 0:
        return 1
    for page in sorted(prefix.parent.glob(f"{prefix.name}-*.png")):
        print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
