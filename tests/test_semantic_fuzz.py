"""The semantic fuzz: sound variations of the example that real cooperations make.

Structural mutations (tests/test_hostile.py) mostly make specs that ``check``
refuses; these mostly pass it, and so reach every analysis and every format.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from xml.etree import ElementTree

from hypothesis import HealthCheck, event, given, seed, settings

import dikt
from dikt.focus import focus_csv
from dikt.views.allocation import allocation_document, prices_document
from dikt.views.fair import keys_document
from dikt.writers import WRITERS, xlsx

from .conftest import EXAMPLE
from .gate import has_errors, run_every_analysis
from .strategies import semantic_mutants

EXAMPLE_MODEL = dikt.load(EXAMPLE)

#: What a terminal or a Markdown page must never receive raw.
_RAW: re.Pattern[str] = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
#: A Markdown link or image that the writer left unescaped.
_LINK: re.Pattern[str] = re.compile(r"(?<!\\)\]\(")

#: A fifth of the profile's examples: each runs every analysis of a spec.
_EXAMPLES = max(5, settings.default.max_examples // 5)


@seed(2012)
@settings(
    max_examples=_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(semantic_mutants(EXAMPLE_MODEL))
def test_sound_variations_compute_and_write_safely(cooperation: dikt.Cooperation) -> None:
    if has_errors(cooperation):
        event("check finds errors")
        return
    event("computed")
    run_every_analysis(cooperation)
    study = dikt.key_study(cooperation)
    for result in study.keys:
        assert result.core.checked
    allocation = dikt.allocate(cooperation)
    prices = prices_document(dikt.unit_prices(allocation), allocation.currency)
    for document in (keys_document(study), allocation_document(allocation), prices):
        for name, write in WRITERS.items():
            text = write(document, None)
            if name != "csv":  # CSV keeps what the user wrote; the terminal escapes it
                assert not _RAW.search(text), name
            if name == "markdown":
                assert not _LINK.search(text)
        with zipfile.ZipFile(io.BytesIO(xlsx.write(document))) as archive:
            ElementTree.fromstring(archive.read("docProps/core.xml"))
    for row in csv.reader(io.StringIO(focus_csv(cooperation=cooperation, allocation=allocation))):
        assert not any(cell.startswith(("=", "+", "@")) for cell in row)
