"""The joining report: every figure of a pre-project's economics chapter, from the analyses.

:func:`join_report` gathers, for one candidate, what the chapter needs: the
joining estimate as chosen and its alternatives (the implementation year and
the year after; thin clients kept or replaced), the candidate's PC fleet by
purchase year, its harmonisation gaps and costed roadmap, the economic plan
with it joining, and the digest of the spec's files, so that a reader can
tell which specs produced a report. Nothing here formats anything:
:mod:`dikt.views.report` turns it into a document, and the HTML and PDF
writers write that.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

import attrs

from dikt._deprecated import renamed_attribute, renamed_keywords
from dikt._repr import summary_repr
from dikt._version import __version__
from dikt.economic_plan import Plan, plan
from dikt.harmonisation import Gaps, Roadmap, gaps, roadmap
from dikt.joining import JoinEstimate, join, join_alternative
from dikt.limits import YEAR_MAX
from dikt.model import Cooperation, Device, Premises, ThinClients
from dikt.naming import Names, names_of
from dikt.scenario import require_member
from dikt.whatif import WhatIf, refuse

__all__ = ["FleetYear", "JoinReport", "SpecFile", "join_report"]


@attrs.frozen(kw_only=True)
class FleetYear:
    """The candidate's devices bought in one year, by kind."""

    year: int
    laptops: int
    desktops: int
    thin_clients: int

    @property
    def total(self) -> int:
        """All the year's devices."""
        return self.laptops + self.desktops + self.thin_clients


@attrs.frozen(kw_only=True)
class SpecFile:
    """One file of the spec and the SHA-256 of its text (UTF-8)."""

    file: str
    sha256: str


@attrs.frozen(kw_only=True, repr=False)
class JoinReport:
    """Everything the joining report shows, computed once."""

    __repr__ = summary_repr

    cooperation_id: str  #: the cooperation's id
    cooperation = renamed_attribute("cooperation", "cooperation_id")
    name: str
    budget_year: int
    estimate: JoinEstimate  #: the estimate the report is about
    #: The estimates the report weighs: each implementation year, thin clients kept and replaced.
    alternatives: tuple[JoinEstimate, ...]
    fleet: tuple[FleetYear, ...]  #: the candidate's devices by purchase year
    gaps: Gaps
    roadmap: Roadmap
    plan: Plan  #: the economic plan from the budget year, the candidate joining on its date
    premises: Premises  #: the board's premises the estimates rest on
    files: tuple[SpecFile, ...]  #: the spec's files, sorted
    digest: str  #: SHA-256 over the files' names and digests: the spec's identity
    version: str  #: the dikt that computed it
    #: What people read for the spec's ids (members, domains, systems).
    names: Names = attrs.field(factory=Names)


def _files(cooperation: Cooperation) -> tuple[SpecFile, ...]:
    if cooperation.sources:
        texts = dict(cooperation.sources)
    else:  # built in Python: the files dikt would write for it
        from dikt._dump import dumps  # noqa: PLC0415 - only for specs not read from disk

        texts = dumps(cooperation)
    return tuple(
        SpecFile(file=file, sha256=hashlib.sha256(text.encode()).hexdigest())
        for file, text in sorted(texts.items())
    )


@renamed_keywords(candidate_id="candidate")
def join_report(
    cooperation: Cooperation,
    candidate: str,
    year: int | None = None,
    thin_clients: ThinClients | None = None,
) -> JoinReport:
    """The joining report's figures for ``candidate`` (a candidate of the spec).

    ``year`` and ``thin_clients`` choose the estimate as :func:`dikt.join`
    does; the alternatives are that year and the next, with thin clients
    kept and replaced.
    """
    member = require_member(cooperation, candidate)
    # Four years, as the pre-project's plan, or as many as dikt's years allow.
    plan_years = range(cooperation.budget_year, min(cooperation.budget_year + 4, YEAR_MAX + 1))
    refuse(cooperation, WhatIf.REPORT, candidate, year=year, plan_years=plan_years)
    estimate = join(cooperation, candidate, year, thin_clients)
    # The next year too, while it is not after the candidate joins (nor past dikt's years).
    latest = min(YEAR_MAX - 1, member.joined.year if member.joined else YEAR_MAX)
    years = [estimate.year] + ([estimate.year + 1] if estimate.year < latest else [])
    # The annual figures are the budget year's in every alternative: priced once,
    # only the fleet and the one-time costs are estimated again.
    alternatives = tuple(
        join_alternative(cooperation, estimate, alternative, choice)
        for alternative in years
        for choice in ThinClients
    )
    by_year: dict[int, dict[Device, int]] = {}
    for entry in member.fleet:
        counts = by_year.setdefault(entry.purchased, dict.fromkeys(Device, 0))
        counts[entry.kind] += entry.units
    fleet = tuple(
        FleetYear(
            year=bought,
            laptops=counts[Device.LAPTOP],
            desktops=counts[Device.DESKTOP],
            thin_clients=counts[Device.THIN_CLIENT],
        )
        for bought, counts in sorted(by_year.items())
    )
    files = _files(cooperation)
    digest = hashlib.sha256("".join(f"{f.file}\n{f.sha256}\n" for f in files).encode()).hexdigest()
    return JoinReport(
        cooperation_id=cooperation.id,
        name=cooperation.name,
        budget_year=cooperation.budget_year,
        estimate=estimate,
        alternatives=alternatives,
        fleet=fleet,
        gaps=gaps(cooperation, candidate),
        roadmap=roadmap(cooperation, candidate),
        plan=plan(cooperation, None, len(plan_years), Fraction(0)),
        premises=cooperation.premises,
        files=files,
        digest=digest,
        version=__version__,
        names=names_of(cooperation),
    )
