"""Open a dikt workbook in LibreOffice (headless), export every sheet as CSV, compare.

Not a test (LibreOffice is a large install): run it where Debian's
libreoffice-calc is installed, after writing a workbook with
``dikt allocate specs/d-ikt --format xlsx --output d-ikt.xlsx``:

    python tools/check_xlsx_libreoffice.py d-ikt.xlsx

It converts the workbook with ``soffice --headless --convert-to csv`` (all
sheets), reads each CSV and checks every number against what openpyxl reads
from the workbook (a formula's cached value), to the hundredth. Exit 0 when
all agree, 1 when one does not, 2 when LibreOffice is not installed or no
workbook is named.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl


def main() -> int:
    """Convert, read and compare; print what differs."""
    if len(sys.argv) != 2:
        print("usage: python tools/check_xlsx_libreoffice.py WORKBOOK.xlsx")
        return 2
    workbook_path = Path(sys.argv[1])
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice is not installed (Debian: apt-get install libreoffice-calc)")
        return 2
    # A formula's value as dikt cached it, against what LibreOffice shows for it.
    book = openpyxl.load_workbook(workbook_path, data_only=True)
    problems = 0
    with tempfile.TemporaryDirectory() as out:
        # Field separator, quote, UTF-8, first line, ..., -1: every sheet to its own file.
        target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
        subprocess.run(
            [soffice, "--headless", "--convert-to", target, "--outdir", out, str(workbook_path)],
            check=True,
            capture_output=True,
        )
        for sheet in book.worksheets:
            exported = next(Path(out).glob(f"*-{sheet.title}.csv"), None)
            if exported is None:
                print(f"{sheet.title}: not exported")
                problems += 1
                continue
            rows = list(csv.reader(exported.open(encoding="utf-8")))
            for r, row in enumerate(sheet.iter_rows(values_only=True)):
                for c, value in enumerate(row):
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        shown = rows[r][c].replace(",", "").replace("%", "").strip()
                        number = Decimal(shown)
                        expected = Decimal(repr(value))
                        if sheet.cell(row=r + 1, column=c + 1).number_format == "0.00%":
                            expected *= 100
                        if abs(number - expected) > Decimal("0.005"):
                            print(f"{sheet.title}!{r + 1}:{c + 1}: {shown} != {value}")
                            problems += 1
    print("all numbers agree" if not problems else f"{problems} numbers differ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
