"""Bring dikt's message catalogs in line with the code, in one step (not a test).

    python tools/catalog.py            # extract, update the .po, compile the .mo
    python tools/catalog.py --merge    # the same, after a git merge that conflicted in them

It does what the three ``pybabel`` commands of docs/howto/language.md do
(extract with ``babel.cfg``, no locations, sorted; update without fuzzy
matching, dropping obsolete messages; compile), through Babel's Python API,
and keeps the catalogs' header dates as they were, so that two branches
that each add a message do not also conflict on a timestamp.

With ``--merge``, a ``dikt.po`` that git left with conflict markers is read
from both sides of the merge (``git show :2:`` and ``:3:``) and their
translations are joined; where both sides translate one message
differently, the run stops and names it. Then the catalogs are updated as
above and ``dikt.mo`` is compiled again (a binary file git cannot merge).

Afterwards it lists the messages without a bokmål translation: translate
them in ``dikt.po`` and run it again.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "dikt" / "locale" / "dikt.pot"
PO = ROOT / "dikt" / "locale" / "nb" / "LC_MESSAGES" / "dikt.po"
PO_NAME = PO.relative_to(ROOT).as_posix()


def _read(text: bytes) -> Catalog:
    return read_po(io.BytesIO(text))


def _side(stage: int) -> Catalog:
    shown = subprocess.run(
        ["git", "show", f":{stage}:{PO_NAME}"], cwd=ROOT, capture_output=True, check=True
    )
    return _read(shown.stdout)


def _untranslated(string: object) -> bool:
    # A plural message's string is a tuple, ('', '') when untranslated: a
    # non-empty tuple is truthy, so "not string" alone would skip it.
    if isinstance(string, tuple):
        return not any(string)
    return not string


def _translations(catalog: Catalog) -> dict[object, object]:
    return {m.id: m.string for m in catalog if m.id and not _untranslated(m.string) and not m.fuzzy}


def _merged_translations() -> dict[object, object]:
    ours, theirs = _translations(_side(2)), _translations(_side(3))
    clashes = sorted(str(key) for key in ours.keys() & theirs.keys() if ours[key] != theirs[key])
    if clashes:
        print("both sides translate these differently; choose in dikt.po:", file=sys.stderr)
        for key in clashes:
            print(f"  {key}", file=sys.stderr)
        raise SystemExit(1)
    return {**ours, **theirs}


def _extract(header_from: Catalog | None) -> Catalog:
    template = Catalog(project="dikt", copyright_holder="The dikt developers")
    if header_from is not None:
        template.creation_date = header_from.creation_date
    method_map = [("dikt/**.py", "dikt._extract.extract")]
    for filename, _line, message, comments, context in extract_from_dir(
        str(ROOT), method_map=method_map
    ):
        if filename.startswith(("dikt/", "dikt\\")):
            template.add(message, None, [], auto_comments=comments, context=context)
    return template


def main() -> int:
    """Extract, update and compile; with --merge, join both sides' translations first."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merge", action="store_true", help="resolve a merge conflict")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # babel.cfg's extraction method is dikt's own
    if args.merge:
        known = _merged_translations()
        catalog = _side(2)
    else:
        with PO.open("rb") as handle:
            catalog = read_po(handle)
        known = _translations(catalog)
    old_template = None
    if POT.exists():
        try:
            with POT.open("rb") as handle:
                old_template = read_po(handle)
        except Exception:  # a conflicted template is made anew
            old_template = None
    template = _extract(old_template)
    buffer = io.BytesIO()
    write_po(buffer, template, omit_header=False, no_location=True, sort_output=True)
    POT.write_bytes(buffer.getvalue())
    revision, creation = catalog.revision_date, catalog.creation_date
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.revision_date, catalog.creation_date = revision, creation
    for entry in catalog:
        if entry.id and _untranslated(entry.string) and entry.id in known:
            entry.string = known[entry.id]
    buffer = io.BytesIO()
    write_po(buffer, catalog, no_location=True, sort_output=True, width=76)
    PO.write_bytes(buffer.getvalue())
    with PO.open("rb") as handle:
        compiled_from = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, compiled_from)
    PO.with_suffix(".mo").write_bytes(buffer.getvalue())
    missing = [
        entry.id
        for entry in compiled_from
        if entry.id
        and (
            not entry.string
            or (isinstance(entry.string, tuple) and not all(entry.string))
            or entry.fuzzy
        )
    ]
    for message_id in missing:
        print(f"untranslated: {message_id}")
    print(f"{len(compiled_from) - 1} messages, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
