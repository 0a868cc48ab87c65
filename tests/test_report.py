"""The joining report: its figures are the analyses', in PDF and HTML, the same bytes each time."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pypdf
import pytest

import dikt
from dikt import Money, ThinClients
from dikt.document import Heading, Paragraph, Table
from dikt.i18n import texts
from dikt.joining import CostCategory
from dikt.report import JoinReport, join_report
from dikt.views.report import report_document
from dikt.writers import html, pdf

from .conftest import EXAMPLE
from .test_cli import run

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def report() -> JoinReport:
    return join_report(dikt.load(EXAMPLE), "nedre-eiker")


@pytest.fixture(scope="module")
def written(report: JoinReport) -> Callable[[str], bytes]:
    """The report's PDF in a language, written once for the tests that only read it."""
    return functools.cache(lambda language: pdf.write_pdf(report_document(report, language)))


@functools.lru_cache(maxsize=4)
def pdf_pages(data: bytes) -> tuple[str, ...]:
    """Each page's text, its spaces (no-break ones too) made single; read once per PDF."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return tuple(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_text(data: bytes) -> str:
    return " ".join(pdf_pages(data))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def figures(report: JoinReport, language: str) -> list[str]:
    """Every amount the report must show, written as its readers read it."""
    words = texts(language)
    estimate = report.estimate
    amounts = [
        estimate.one_time_total,
        *estimate.by_category().values(),
        estimate.annual.total,
        estimate.total_before,
        estimate.total_after,
        *(item.amount for item in estimate.one_time),
        *(m.before for m in estimate.members),
        *(m.after for m in estimate.members),
        *(a.one_time_total for a in report.alternatives),
        *(year.total for year in report.plan.years),
        *(line.amount for line in estimate.annual.lines),
    ]
    return [" ".join(words.amount(amount).split()) for amount in amounts]


def test_the_d_ikt_report_reproduces_the_pre_projects_estimates(report: JoinReport) -> None:
    by = {(a.year, a.thin_clients): a for a in report.alternatives}
    pcs = {key: a.one_time[0] for key, a in by.items()}
    assert pcs[2012, ThinClients.KEEP].amount == Money(450_000_000)  # PCs of 2007 or earlier
    assert pcs[2013, ThinClients.KEEP].amount - pcs[2012, ThinClients.KEEP].amount == Money(
        380_250_000
    )  # 3.8 million more for those of 2008
    thin = next(i for i in by[2012, ThinClients.REPLACE].one_time if "Thin clients" in i.item)
    assert thin.amount == Money(296_250_000)  # about 3 million
    cabinets = next(i for i in report.estimate.one_time if "Charging cabinets" in i.item)
    assert cabinets.quantity == 15
    assert report.estimate.by_category()[CostCategory.IMPLEMENTATION] == Money(661_500_000)
    assert [f.year for f in report.fleet] == list(range(2004, 2012))
    assert sum(f.total for f in report.fleet) == sum(
        e.units for e in dikt.load(EXAMPLE).members["nedre-eiker"].fleet
    )


def test_near_the_last_supported_year_the_plan_is_as_long_as_dikt_allows() -> None:
    """A budget year of 2199 leaves two plan years: the report shortens its plan, not fails.

    Implemented in 2199, the candidate joins in 2200; implemented in 2200, its infrastructure
    would be bought in 2201, past dikt's last year: that alternative is left out.
    """
    spec = dikt.load(EXAMPLE)
    candidate = attrs.evolve(spec.members["nedre-eiker"], joined=dt.date(2200, 1, 1))
    cooperation = attrs.evolve(
        spec, budget_year=2199, members={**spec.members, "nedre-eiker": candidate}
    )
    late = join_report(cooperation, "nedre-eiker", 2199)
    assert [year.year for year in late.plan.years] == [2199, 2200]
    assert [a.year for a in late.alternatives] == [2199, 2199]
    assert (
        join_report(attrs.evolve(cooperation, budget_year=2012), "nedre-eiker").plan.years[-1].year
        == 2015
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_figure_of_the_pdf_and_the_html_is_the_analyses(
    report: JoinReport, written: Callable[[str], bytes], language: str
) -> None:
    document = report_document(report, language)
    in_pdf = pdf_text(written(language))
    in_html = html_text(html.write_html(document)).replace(NBSP, " ")
    for figure in figures(report, language):  # spaces as split() leaves them
        assert figure in in_pdf, figure
        assert figure in in_html, figure
    assert report.digest in in_html
    title = (
        "Tilslutning av Nedre Eiker kommune" if language == "nb" else "Nedre Eiker kommune joining"
    )
    assert in_pdf.startswith(title)


def test_pdf_and_html_are_the_same_bytes_each_time(report: JoinReport) -> None:
    document = report_document(report, "nb")
    first = pdf.write_pdf(document)
    assert first == pdf.write_pdf(report_document(report, "nb"))
    assert html.write_html(document) == html.write_html(report_document(report, "nb"))
    assert b"/CreationDate" not in first


def test_no_text_of_the_spec_can_script_or_format_the_report(report: JoinReport) -> None:
    hostile = 'Evil "]; #panic("x") <script>alert(1)</script> \\ $x$ *b* \x1b[31m\r\n'
    estimate = attrs.evolve(report.estimate, name=hostile)
    document = report_document(attrs.evolve(report, estimate=estimate), "en")
    text = pdf_text(pdf.write_pdf(document))
    assert '#panic("x")' in text  # shown, never run
    page = html.write_html(document)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page
    assert "\\x1b[31m" in page


def test_dikt_report_writes_pdf_and_html_in_bokmal_by_default(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    assert run("report", EXAMPLE, "nedre-eiker", "--output", target) == (0, "", "")
    text = pdf_text(target.read_bytes())
    assert text.startswith("Tilslutning av Nedre Eiker kommune til Drammensregionens IKT: økonomi")
    page = tmp_path / "report.html"
    code, _, _ = run(
        "report",
        EXAMPLE,
        "nedre-eiker",
        "--output",
        page,
        "--lang",
        "en",
        "--thin-clients",
        "replace",
    )
    assert code == 0
    shown = html_text(page.read_text(encoding="utf-8"))
    assert "Carried out in 2012, thin clients replaced by laptops." in shown
    assert "Thin clients replaced by laptops" in shown
    code, _, err = run("report", EXAMPLE, "nedre-eiker", "--output", tmp_path / "r.docx")
    assert code == 2
    assert "the report is written as .pdf or .html" in err
    code, _, err = run("report", EXAMPLE, "sande", "--output", target)
    assert code == 2
    assert "already a member" in err


def test_report_text_has_no_english_left_in_bokmal(report: JoinReport) -> None:
    shown = html_text(html.write_html(report_document(report, "nb")))
    for english in ("One-time costs", "Summary", "Annual contribution", "joining"):
        assert english not in shown, english
    assert re.search(r"8\u00a0660\u00a0000,00|8 660 000,00", shown)


def test_page_one_is_the_boards_summary_without_vat_and_estimated(
    report: JoinReport, written: Callable[[str], bytes]
) -> None:
    """Page one: the pre-project's summary table by year, marked without VAT and as estimates."""
    pages = pdf_pages(written("nb"))
    first = pages[0]
    assert first.startswith(
        "Tilslutning av Nedre Eiker kommune til Drammensregionens IKT: økonomi "
        "Gjennomføring i 2012, tynne klienter beholdes. "
        "Alle beløp er i NOK ekskl. mva. Beløpene er estimater; faktiske kostnader faktureres. "
        "Sammendrag Kostnad Investering 2012 Drift 2012 Investering 2013 Investering årlig fra "
        "2013 Lønn og adm. årlig Driftskostnader årlig"
    )
    assert "sum 6 615 000,00 595 000,00 1 450 000,00 1 197 600,95 894 125,63 10 892 226,30" in (
        first
    )
    assert "nøkkeltall beløp" in first
    assert "tall beløp" not in first.replace("nøkkeltall beløp", "")
    assert report.digest[:16] not in " ".join(pages[:-1])
    assert pages[-1].endswith(f"{report.files[-1].sha256} {len(pages)}")  # the page number
    assert f"Spesifikasjonens identitet (SHA-256 av filene): {report.digest}" in pages[-1]
    en = pdf_pages(written("en"))[0]
    assert "All amounts are in NOK excluding VAT. They are estimates: the cooperation " in en
    assert "Investment 2012 Operations 2012 Investment 2013 Investment a year from 2013" in en


def test_the_pc_models_are_summed_up_and_listed_in_the_appendix(report: JoinReport) -> None:
    document = report_document(report, "nb")
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert headings[-2:] == ["Vedlegg: PC-modellene", "Om rapporten"]
    models = document.blocks[document.blocks.index(Heading("PC-modellene", 3)) + 1]
    assert models == Paragraph.of(
        f"77 PC-modeller med 2{NBSP}250 enheter i alt; 600 enheter erstattes av bærbare PC-er.",
        # 57 small models + 15 kept + 5 whose every unit is too old = 77.
        "57 modeller har færre enn 10 enheter og erstattes helt; 15 modeller beholdes og "
        "trenger hvert sitt image. 5 modeller til erstattes helt fordi alle enhetene er "
        "eldre enn 4 år. Alle modellene står i vedlegget.",
    )
    appendix = document.blocks.index(Heading("Vedlegg: PC-modellene"))
    listed = document.blocks[appendix + 1]
    assert isinstance(listed, Table)
    assert listed.name == "models"
    assert len(listed.rows) == len(report.estimate.fleet) == 79
    assert listed not in document.blocks[:appendix]


def test_the_pdf_keeps_table_text_legible_and_headings_with_what_follows(
    report: JoinReport,
) -> None:
    typst = pdf.source(report_document(report, "nb"))
    assert "#show table: set text(size: 9pt)" in typst
    assert "#show heading: set block(sticky: true)" in typst
    # Short tables never split; the premises (18 rows), the annual contribution
    # (31) and the PC models (79) may, their header repeated.
    long = [
        t.name
        for t in report_document(report, "nb").tables
        if len(t.rows) + (t.total is not None) > 16
    ]
    assert long == ["premises", "lines-nedre-eiker", "models"]
    assert typst.count("#block(breakable: true, table(") == 3
    assert (
        typst.count("#block(breakable: false, table(")
        == len(report_document(report, "nb").tables) - 3
    )


def test_the_report_says_what_the_cost_models_add_and_what_moves_over(
    report: JoinReport,
) -> None:
    """Under the members before and after: the what-if's assumptions about the costs."""
    paragraphs = [
        " ".join(block.lines)
        for block in report_document(report, "en").blocks
        if isinstance(block, Paragraph)
    ]
    assert (
        "With Nedre Eiker kommune, the systems' cost models add 7,781,225.78 NOK a year; "
        "0.00 NOK of the cost of the systems it would share has no cost model and was held "
        "flat. Of the 4,890,000.00 NOK a year in staff and contracts moving over, "
        "2,672,069.15 NOK is within what the cost models add for its users and 2,217,930.85 "
        "NOK adds to the cooperation's costs."
    ) in paragraphs
