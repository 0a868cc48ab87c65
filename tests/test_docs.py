"""The documentation: a real Sphinx build with warnings as errors, and a browser."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dikt.schema import reference

from .conftest import EXAMPLE, MINIMAL_COOPERATION, ROOT, minimal_member
from .console import commands, mismatch, output_of

DOCS = ROOT / "docs"


def sphinx(
    source: Path, out: Path, *extra: str, builder: str = "html"
) -> subprocess.CompletedProcess[str]:
    """Build with Sphinx's warnings as errors, as the README says, in this process.

    In this process, not a new one: starting Python and importing Sphinx took
    most of a small project's second.
    """
    from sphinx.cmd.build import build_main  # noqa: PLC0415 - only the docs tests need it

    args = ["-W", "--keep-going", "-q", "-b", builder, *extra, str(source), str(out)]
    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        # Stricter than a build of its own, which shows no Python warning:
        # pytest's "error" stays for every other warning. Other packages'
        # deprecations are theirs (sphinx-click's use of the environment's
        # app) and ignored; dikt's stop the build.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        warnings.filterwarnings("error", module=r"dikt(\.|$)")
        code = build_main(args)
    return subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = sphinx(DOCS, out)
    assert done.returncode == 0, done.stderr
    return out


def page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def test_the_example_page_renders_the_spec(site: Path) -> None:
    html = page(site, "example/d-ikt.html")
    assert "dikt-allocation" in html
    assert "63,000,000.00" in html
    assert "<svg xmlns='http://www.w3.org/2000/svg' class='dikt-graph'" in html
    assert "class='dikt-chart'" in html
    assert "4,500,000.00" in html  # joining: the PCs of 2007 or earlier
    assert "Elektroniske skjema" in html  # in the graph
    assert "[Gerica]" in html  # the matrix: an own system by its name


def test_the_tutorial_runs_check_allocate_gaps_and_join(site: Path) -> None:
    html = page(site, "tutorial.html")
    assert "0 errors, 0 warnings" in html  # check
    assert "2,400,000.00" in html  # allocate
    assert "old-care" in html  # gaps
    assert "1,940,000.00" in html  # join


def test_the_spec_reference_documents_every_key(site: Path) -> None:
    html = page(site, "reference/spec.html")
    for table in reference():
        for key in table.keys:
            assert f"<p>{key.key}</p>" in html, key.key


def test_the_cli_and_api_references(site: Path) -> None:
    cli = page(site, "reference/cli.html")
    for command in (
        "check",
        "allocate",
        "prices",
        "explain",
        "diff",
        "gaps",
        "matrix",
        "roadmap",
        "join",
        "plan",
        "impact",
        "graph",
        "schema",
        "keys",
        "report",
    ):
        assert f'id="dikt-{command}"' in cli, command
    api = page(site, "reference/api.html")
    for name in (
        "dikt.allocation.allocate",
        "dikt.model.Cooperation",
        "dikt.joining.join",
        "dikt.fair.shapley",
        "dikt.report.join_report",
        "dikt.i18n.texts",
    ):
        assert f'id="{name}"' in api, name


class _Text(HTMLParser):
    """The visible text of a page, paragraph by paragraph (no scripts, styles or code)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        if tag in ("script", "style", "pre", "code", "svg"):
            self._skip += 1
        elif tag in ("p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3"):
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "pre", "code", "svg"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and self.blocks:
            self.blocks[-1] += data


def test_no_page_shows_raw_markup(site: Path) -> None:
    """What reStructuredText or MyST failed to render shows as text: no page has any."""
    for path in sorted(site.rglob("*.html")):
        if "_modules" in path.parts or path.name in ("genindex.html", "search.html"):
            continue
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        for block in parser.blocks:
            text = block.strip()
            assert not text.startswith(".. "), (path.name, text[:60])
            assert ":default:" not in text, (path.name, text[:60])
            assert "`" not in text, (path.name, text[:60])
            if path.name == "spec.html":  # values copied from it must be valid TOML
                assert "\u201c" not in text, text[:60]
                assert "\u201d" not in text, text[:60]


def test_options_and_placeholders_are_literals_in_every_page(site: Path) -> None:
    """Smart quotes made "--format focus" an en dash ("–format focus") that fails when
    copied, and docutils made FILE:LINE:COLUMN a link to nowhere."""
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        dashed = re.findall(r".{30}[\u2013\u2014][a-z].{10}", html)
        assert dashed == [], (path.name, dashed[:3])
        assert not re.search(r"href=.[A-Z]+:[A-Z]", html), path.name
    cli = page(site, "reference/cli.html")
    literal = '<code class="docutils literal notranslate"><span class="pre">{}</span>'
    for text in ("--format", "--lang", "--year", "--select", "FILE:LINE:COLUMN"):
        assert literal.format(text) in cli, text
    assert "<cite>" not in cli  # a `backticked` word of a terminal's help text
    assert "\u2018dikt" not in cli  # a command quoted as click quotes it: a literal


def _project(root: Path, system_name: str) -> Path:
    """A small Sphinx project rendering a small spec."""
    spec = root / "spec"
    (spec / "members").mkdir(parents=True)
    cooperation = MINIMAL_COOPERATION.replace('name = "Care system"', f"name = {system_name}")
    (spec / "cooperation.toml").write_text(cooperation, encoding="utf-8")
    (spec / "members" / "a.toml").write_text(minimal_member("a"), encoding="utf-8")
    (root / "conf.py").write_text('extensions = ["dikt.sphinxext"]\n', encoding="utf-8")
    (root / "index.rst").write_text(
        "Test\n====\n\n"
        ".. dikt-allocation:: spec\n   :member: a\n\n"
        ".. dikt-prices:: spec\n\n"
        ".. dikt-matrix:: spec\n\n"
        ".. dikt-graph:: spec\n\n"
        ".. dikt-chart:: spec\n",
        encoding="utf-8",
    )
    return spec


def test_user_text_is_escaped_everywhere(tmp_path: Path) -> None:
    _project(tmp_path / "src", '"<script>alert(1)</script>"')
    done = sphinx(tmp_path / "src", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3


def test_a_page_is_rebuilt_when_its_spec_changes(tmp_path: Path) -> None:
    spec = _project(tmp_path / "src", '"Care system"')
    out = tmp_path / "out"
    assert sphinx(tmp_path / "src", out).returncode == 0
    assert "500.00" in (out / "index.html").read_text(encoding="utf-8")
    cooperation = spec / "cooperation.toml"
    cooperation.write_text(
        cooperation.read_text("utf-8").replace("annual_cost = 500", "annual_cost = 777"), "utf-8"
    )
    assert sphinx(tmp_path / "src", out).returncode == 0  # incremental: same output dir
    assert "777.00" in (out / "index.html").read_text(encoding="utf-8")


def test_a_broken_spec_fails_the_build_with_its_problems(tmp_path: Path) -> None:
    spec = _project(tmp_path / "src", '"Care system"')
    (spec / "members" / "a.toml").write_text(
        minimal_member("a").replace("users = 200", "users = 2.5"), encoding="utf-8"
    )
    done = sphinx(tmp_path / "src", tmp_path / "out")
    assert done.returncode != 0
    assert "members/a.toml:7:1: E006 users: expected an integer, got 2.5" in done.stderr


# -- a real browser ---------------------------------------------------------------------------


def _browser_missing() -> str | None:
    for tool in ("chromium", "chromedriver"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian packages chromium, chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {missing}")
        pytest.skip(missing)
    from selenium import webdriver  # noqa: PLC0415 - only with a browser
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or ""), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_the_allocation_table_and_the_diagram_are_visible(site: Path, browser: object) -> None:
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    driver = browser
    driver.get((site / "example" / "d-ikt.html").as_uri())  # type: ignore[attr-defined]
    table = driver.find_element(By.CSS_SELECTOR, "table.dikt-allocation")  # type: ignore[attr-defined]
    assert table.is_displayed()
    assert table.size["width"] > 300
    assert table.size["height"] > 100
    assert "63,000,000.00" in table.text
    graph = driver.find_element(By.CSS_SELECTOR, "div.dikt-graph svg")  # type: ignore[attr-defined]
    assert graph.is_displayed()
    assert graph.size["width"] > 300
    assert graph.size["height"] > 100
    nodes = graph.find_elements(By.CSS_SELECTOR, "g.dikt-node")
    assert len(nodes) == 30
    assert any(node.is_displayed() and node.size["width"] > 20 for node in nodes)
    chart = driver.find_element(By.CSS_SELECTOR, "div.dikt-chart svg")  # type: ignore[attr-defined]
    assert chart.is_displayed()
    assert re.search(r">Drammen<", chart.get_attribute("innerHTML") or "")  # its short name


#: In the browser: what is wider than the page's main column, and diagram text
#: smaller than 10 CSS pixels as rendered.
_MEASURE = """
const main = document.querySelector('article') || document.body;
const width = main.clientWidth;
const wide = [];
for (const el of main.querySelectorAll('table, img, svg, figure')) {
  if (el.tagName !== 'TABLE' && el.closest('table')) continue;
  const box = el.getBoundingClientRect();
  if (box.width > width + 1) wide.push(el.tagName + '.' + (el.getAttribute('class') || ''));
}
const small = [];
for (const text of main.querySelectorAll('svg text')) {
  const size = parseFloat(getComputedStyle(text).fontSize) *
    (text.ownerSVGElement.getBoundingClientRect().width /
     text.ownerSVGElement.viewBox.baseVal.width);
  if (size < 10) small.push(text.textContent);
}
const prose = main.cloneNode(true);
for (const code of prose.querySelectorAll('pre, code, script, style')) code.remove();
document.body.appendChild(prose);
const raw = prose.innerText.split('\\n').filter(
  (line) => line.trim().startsWith('.. ') || line.includes(':default:') || line.includes('`'));
prose.remove();
return [wide, small, raw];
"""


def test_every_page_fits_the_column_and_its_diagrams_are_legible(
    site: Path, browser: object
) -> None:
    """At a 1400 px window: no table or figure wider than the column, no diagram text under
    10 px, no raw markup (``.. directive``, ``:default:``, backticks) in the visible text."""
    driver = browser
    for path in sorted(site.rglob("*.html")):
        if "_modules" in path.parts or path.name in ("genindex.html", "search.html"):
            continue
        driver.get(path.as_uri())  # type: ignore[attr-defined]
        wide, small, raw = driver.execute_script(_MEASURE)  # type: ignore[attr-defined]
        assert wide == [], (path.name, wide)
        assert small == [], (path.name, small[:5])
        assert raw == [], (path.name, raw[:5])


def test_the_tutorial_runs_as_written_in_an_empty_directory(tmp_path: Path) -> None:
    """The files it includes, written where it says; each command prints what it shows."""
    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    named = re.findall(
        r"`(fjord/[\w./]+\.toml)`[^`]*?```\{literalinclude\} ([\w./]+)", tutorial, re.S
    )
    assert len(named) == 5  # the cooperation file and four members
    for target, source in named:
        path = tmp_path / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes((ROOT / "docs" / source).read_bytes())
    shown = commands(tutorial)
    assert [command for command, _ in shown] == [
        "dikt check fjord",
        "dikt allocate fjord",
        "dikt explain fjord sorvik CARE",
        "dikt gaps fjord austvik",
        "dikt join fjord austvik",
    ]
    for command, lines in shown:
        problem = mismatch(lines, output_of(command, tmp_path))
        assert problem is None, problem


@pytest.mark.parametrize("builder", ["html", "text", "latex"])
def test_the_directives_work_in_every_builder_of_an_outside_project(
    tmp_path: Path, builder: str
) -> None:
    """A cooperation's own docs, with dikt.sphinxext and the example spec, in any builder."""
    root = tmp_path / "docs"
    shutil.copytree(EXAMPLE, tmp_path / "spec")
    root.mkdir()
    (root / "conf.py").write_text('extensions = ["dikt.sphinxext"]\n', encoding="utf-8")
    (root / "index.rst").write_text(
        "Budget\n======\n\n"
        ".. dikt-allocation:: ../spec\n\n"
        ".. dikt-gaps:: ../spec\n   :member: nedre-eiker\n\n"
        ".. dikt-plan:: ../spec\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = sphinx(root, out, builder=builder)
    assert done.returncode == 0, done.stderr
    if builder == "text":
        text = (out / "index.txt").read_text(encoding="utf-8")
        row = next(line for line in text.splitlines() if "| base " in line)
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells == [
            "base",
            "22,133,192.39",
            "8,090,063.43",
            "3,281,818.17",
            "2,594,926.01",
            "36,100,000.00",
        ]


def test_the_norwegian_example_page_reads_in_bokmal(site: Path) -> None:
    html = (
        page(site, "example/d-ikt-nb.html").replace("&#160;", "\u00a0").replace("&nbsp;", "\u00a0")
    )
    assert "63\u00a0000\u00a0000,00" in html  # the cooperation's total, Norwegian style
    assert "4\u00a0500\u00a0000,00" in html  # joining: the PCs of 2007 or earlier
    assert "IT178 (Bibliofil) er i bruk uten systemansvarlig" in html  # check's W201
    for word in ("grunnpakke", "fagapplikasjon", "kjerneinvestering", "Engangskostnader"):
        assert word in html, word
    assert "63,000,000.00" not in html
    english = page(site, "example/d-ikt.html")
    assert "grunnpakke" not in english


def test_the_fair_shares_page_compares_the_keys(site: Path) -> None:
    html = page(site, "fair-shares.html")
    assert "dikt-keys" in html
    assert "33,188,913.16" in html  # Drammen's Shapley value
    assert "In the core: no set of members would pay less on its own." in html
    norwegian = page(site, "example/d-ikt-nb.html").replace("&#160;", "\u00a0")
    assert "33\u00a0188\u00a0913,16" in norwegian
    assert "I kjernen: ingen gruppe medlemmer ville betalt mindre på egen hånd." in norwegian


def test_the_report_page_ships_the_d_ikt_report_as_pdf(site: Path) -> None:
    html = page(site, "report.html")
    link = re.search(
        r"href='\.\./_static/(dikt-report-[0-9a-f]{12}\.pdf)'|href='_static/(dikt-report-[0-9a-f]{12}\.pdf)'",
        html,
    )
    assert link is not None
    name = link.group(1) or link.group(2)
    data = (site / "_static" / name).read_bytes()
    assert data.startswith(b"%PDF-")
    assert "Rapporten som PDF" in html
    assert "Engangskostnader" in html


def test_the_year_page_renders_the_invoices(site: Path) -> None:
    html = page(site, "year.html")
    assert "dikt-invoices" in html
    assert "8,224,749.68" in html
    assert "8\xa0224\xa0749,68" in html


def test_the_year_page_renders_the_settlement(site: Path) -> None:
    html = page(site, "year.html")
    assert "dikt-settlement" in html
    assert "+280,000.00" in html  # IT151 over budget
    assert "Sande kommune" in html
    assert "+18,432.33" in html


#: At the window's width: the document's width and the viewport's, and the text of
#: dikt's drawings smaller than 10 CSS pixels as rendered.
_PHONE = """
const small = [];
for (const text of document.querySelectorAll('svg.dikt-chart text, svg.dikt-graph text')) {
  const svg = text.ownerSVGElement;
  const size = parseFloat(getComputedStyle(text).fontSize) *
    (svg.getBoundingClientRect().width / svg.viewBox.baseVal.width);
  if (size < 10) small.push(text.textContent + ' ' + size.toFixed(1));
}
const charts = document.querySelectorAll('svg.dikt-chart, svg.dikt-graph').length;
return [document.documentElement.scrollWidth, document.documentElement.clientWidth, small, charts];
"""


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The joining report as ``dikt report`` writes it (HTML, bokmål), written once."""
    report = tmp_path_factory.mktemp("report") / "report.html"
    assert output_of(f"dikt report {EXAMPLE} nedre-eiker --output {report}", report.parent) == []
    return report


def test_the_html_report_in_a_browser(report_page: Path, browser: object) -> None:
    """At a 1400 px window: its three charts are drawn large, nothing is wider than the page."""
    driver = browser
    driver.get(report_page.as_uri())  # type: ignore[attr-defined]
    charts, wide, width = driver.execute_script(  # type: ignore[attr-defined]
        """
        const charts = [...document.querySelectorAll('figure svg')].map(s => {
          const r = s.getBoundingClientRect(); return [r.width, r.height];
        });
        const body = document.body.getBoundingClientRect().width;
        const wide = [...document.querySelectorAll('div.table, figure')]
          .filter(e => e.getBoundingClientRect().width > body + 1).length;
        return [charts, wide, document.documentElement.scrollWidth - window.innerWidth];
        """
    )
    assert len(charts) == 3
    assert all(w > 300 and h > 80 for w, h in charts), charts
    assert wide == 0
    assert width <= 0


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_fit_a_phone_and_their_charts_stay_legible(
    site: Path, browser: object, report_page: Path, width: int
) -> None:
    """At 390 px the contribution charts were drawn with 5 px text and the report was
    671 px wide: now the page is as wide as the screen (wide tables and the dependency
    graph scroll in their boxes) and no drawing's text is under 10 px, at 1280 too."""
    driver = browser
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)  # type: ignore[attr-defined]
    try:
        for path in (
            report_page,
            site / "example" / "d-ikt.html",
            site / "example" / "d-ikt-nb.html",
            site / "report.html",
            site / "year.html",
        ):
            driver.get(path.as_uri())  # type: ignore[attr-defined]
            document, viewport, small, charts = driver.execute_script(_PHONE)  # type: ignore[attr-defined]
            assert document <= viewport, (path.name, document, viewport)
            assert small == [], (path.name, small[:5])
            assert charts > 0 or path.name == "year.html", path.name
        # The emulated screen is what was measured: a screenshot is as wide as it.
        shot = driver.get_screenshot_as_png()  # type: ignore[attr-defined]
        assert int.from_bytes(shot[16:20], "big") == width
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})  # type: ignore[attr-defined]
