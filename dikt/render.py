"""Turning result objects into text: tables, JSON, DOT, GraphML.

Nothing here computes: every figure comes from a result object. Nothing
here prints either; each function returns a string.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from dikt.allocation import (
    ALONE,
    KIND_ORDER,
    Allocation,
    AllocationDiff,
    Line,
    MemberAllocation,
    Split,
    UnitPrice,
)
from dikt.economic_plan import Plan, PlanYear
from dikt.errors import NotFoundError, Problem
from dikt.findings import _count, findings_json, findings_text, to_json
from dikt.harmonisation import Gaps, Matrix, Roadmap, RunningSystem
from dikt.joining import JoinEstimate
from dikt.model import Category, Metric
from dikt.money import Money, fraction_text, round_ore

if TYPE_CHECKING:
    import networkx as nx

    from dikt.graph import Impact

__all__ = [
    "MATRIX_LEGEND",
    "Grid",
    "allocation_csv",
    "allocation_data",
    "allocation_json",
    "allocation_kinds_grid",
    "allocation_lines_grid",
    "allocation_markdown",
    "allocation_table",
    "diff_data",
    "diff_json",
    "diff_markdown",
    "diff_table",
    "explain_text",
    "findings_grid",
    "findings_json",
    "findings_text",
    "gaps_data",
    "gaps_grid",
    "gaps_json",
    "gaps_markdown",
    "gaps_summary",
    "gaps_table",
    "graph_dot",
    "graph_graphml",
    "graph_json",
    "grid",
    "impact_json",
    "impact_table",
    "join_annual_text",
    "join_costs_grid",
    "join_data",
    "join_json",
    "join_markdown",
    "join_members_grid",
    "join_table",
    "markdown_grid",
    "markdown_table",
    "matrix_data",
    "matrix_grid",
    "matrix_json",
    "matrix_markdown",
    "matrix_table",
    "plan_csv",
    "plan_data",
    "plan_json",
    "plan_markdown",
    "plan_table",
    "plan_totals_grid",
    "plan_year_grid",
    "prices_csv",
    "prices_data",
    "prices_grid",
    "prices_json",
    "prices_markdown",
    "prices_table",
    "roadmap_data",
    "roadmap_grid",
    "roadmap_json",
    "roadmap_markdown",
    "roadmap_notes",
    "roadmap_table",
    "table",
    "text_grid",
    "to_json",
]


@attrs.frozen
class Grid:
    """A table's content, for any renderer: plain text, Markdown or docutils."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: frozenset[int] = frozenset()  #: the columns aligned right (numbers)


def grid(headers: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int] = ()) -> Grid:
    """A :class:`Grid` from any sequences."""
    return Grid(
        headers=tuple(headers),
        rows=tuple(tuple(str(cell) for cell in row) for row in rows),
        right=frozenset(right),
    )


def text_grid(content: Grid) -> str:
    """A grid as a plain-text table."""
    return table(content.headers, content.rows, content.right)


def markdown_grid(content: Grid) -> str:
    """A grid as a Markdown table."""
    return markdown_table(content.headers, content.rows, content.right)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int] = ()) -> str:
    """A plain-text table; columns whose index is in ``right`` are right-aligned.

    >>> print(table(["id", "users"], [["sande", "12"]], right=[1]))
    id     users
    -----  -----
    sande     12
    """
    body = [list(map(str, row)) for row in rows]
    widths = [len(h) for h in headers]
    for row in body:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    aligned = set(right)

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if index in aligned else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(row) for row in body]
    return "\n".join(out)


# -- check ------------------------------------------------------------------------


def findings_grid(problems: Sequence[Problem]) -> Grid:
    """Findings as a table: file, key path, code, message."""
    return grid(
        ["file", "key", "code", "message"],
        [[p.file, p.path, p.code or "", p.message] for p in problems],
    )


# -- impact -----------------------------------------------------------------------


def impact_table(result: Impact) -> str:
    """What depends on a system, for people."""
    mark = " [critical]" if result.critical else ""
    out = [
        (
            f"{result.system} {result.name}{mark}: "
            f"{_count(len(result.systems), 'system')} and "
            f"{_count(len(result.members), 'member')} depend on it."
        )
    ]
    if result.systems:
        out += [
            "",
            "Systems that depend on it (distance 1 = directly):",
            table(
                ["distance", "system", "name", "kind", "critical"],
                [
                    [str(s.distance), s.id, s.name, s.kind, "yes" if s.critical else ""]
                    for s in result.systems
                ],
                right=[0],
            ),
        ]
    if result.members:
        out += [
            "",
            "Members and the users behind them:",
            table(
                ["member", "status", "users", "systems hit (users)"],
                [
                    [
                        m.id,
                        "member" if m.is_member else "candidate",
                        str(m.users),
                        ", ".join(f"{s} ({n})" for s, n in m.systems.items()),
                    ]
                    for m in result.members
                ],
                right=[2],
            ),
        ]
    return "\n".join(out) + "\n"


def impact_json(result: Impact) -> str:
    """What depends on a system, as JSON."""
    return to_json(
        {
            "system": result.system,
            "name": result.name,
            "critical": result.critical,
            "systems": [
                {
                    "id": s.id,
                    "name": s.name,
                    "kind": s.kind,
                    "critical": s.critical,
                    "distance": s.distance,
                }
                for s in result.systems
            ],
            "members": [
                {
                    "id": m.id,
                    "name": m.name,
                    "status": "member" if m.is_member else "candidate",
                    "users": m.users,
                    "systems": dict(m.systems),
                }
                for m in result.members
            ],
        }
    )


# -- graph exports ----------------------------------------------------------------

_DOT_SHAPES = {"system": "box", "own-system": "box", "member": "ellipse", "domain": "folder"}
_DOT_EDGE_STYLES = {
    "depends-on": "solid",
    "uses": "dashed",
    "owns": "bold",
    "in-domain": "dotted",
}


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def graph_dot(graph: nx.MultiDiGraph) -> str:
    """Graphviz DOT: systems as boxes (base packages filled, critical in red)."""
    out = [f"digraph {_dot_id(str(graph.graph.get('name', 'cooperation')))} {{"]
    out.append("  rankdir=LR;")
    out.append('  node [fontname="Helvetica"];')
    for node, data in graph.nodes(data=True):
        attributes = {
            "label": data["label"],
            "shape": _DOT_SHAPES[data["kind"]],
        }
        styles = []
        if data.get("package") == "base":
            styles.append("filled")
            attributes["fillcolor"] = "#dde8f5"
        if data["kind"] == "own-system":
            styles.append("dashed")
        if data.get("critical"):
            attributes["color"] = "#b00020"
            styles.append("bold")
        if styles:
            attributes["style"] = ",".join(styles)
        rendered = ", ".join(f"{k}={_dot_id(v)}" for k, v in attributes.items())
        out.append(f"  {_dot_id(node)} [{rendered}];")
    for source, target, data in graph.edges(data=True):
        attributes = {"style": _DOT_EDGE_STYLES[data["kind"]], "label": data["kind"]}
        if "users" in data:
            attributes["label"] = f"{data['kind']} ({data['users']})"
        rendered = ", ".join(f"{k}={_dot_id(str(v))}" for k, v in attributes.items())
        out.append(f"  {_dot_id(source)} -> {_dot_id(target)} [{rendered}];")
    out.append("}")
    return "\n".join(out) + "\n"


def graph_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML, for yEd, Gephi and other graph tools."""
    import networkx as nx  # noqa: PLC0415 - heavy; only when exporting

    return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"


def graph_json(graph: nx.MultiDiGraph) -> str:
    """Node-link JSON: ``{"nodes": [...], "edges": [...]}``."""
    return to_json(
        {
            "name": graph.graph.get("name"),
            "nodes": [{"id": node, **data} for node, data in graph.nodes(data=True)],
            "edges": [
                {"source": source, "target": target, **data}
                for source, target, data in graph.edges(data=True)
            ],
        }
    )


# -- allocation ---------------------------------------------------------------------


def _amount(money: Money) -> str:
    """Amounts for people: thousand separators and two decimals."""
    return money.format()


def _percent(value: Fraction | None) -> str:
    if value is None:
        return "new"
    return f"{round_ore(value * 100).to_decimal():+}%"


def _kind_sorted(lines: Iterable[Line]) -> list[Line]:
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    return sorted(lines, key=lambda line: (rank[line.kind], line.item))


def _line_row(line: Line) -> list[str]:
    split = line.split
    return [
        line.kind.value,
        line.item,
        split.name,
        split.key,
        fraction_text(line.quantity),
        fraction_text(split.basis),
        _amount(line.amount),
    ]


_LINE_HEADERS = ["kind", "item", "name", "key", "quantity", "basis", "amount"]


def _kind_summary(allocation: Allocation, members: Sequence[MemberAllocation]) -> list[list[str]]:
    """Rows: one per kind of line with any amount, then the totals."""
    per_member = [m.by_kind() for m in members]
    totals = allocation.by_kind() if len(members) == len(allocation.members) else None
    rows = []
    for kind in KIND_ORDER:
        amounts = [k[kind] for k in per_member]
        if not any(amounts) and not (totals and totals[kind]):
            continue
        row = [kind.value, *(_amount(a) for a in amounts)]
        if totals is not None:
            row.append(_amount(totals[kind]))
        rows.append(row)
    total_row = ["total", *(_amount(m.total) for m in members)]
    if totals is not None:
        total_row.append(_amount(allocation.total))
    rows.append(total_row)
    return rows


def _selected(allocation: Allocation, member: str | None) -> tuple[MemberAllocation, ...]:
    return (allocation.member(member),) if member else allocation.members


def allocation_lines_grid(result: MemberAllocation) -> Grid:
    """A member's lines, grouped by kind, and its total."""
    rows = [_line_row(line) for line in _kind_sorted(result.lines)]
    rows.append(["total", "", "", "", "", "", _amount(result.total)])
    return grid(_LINE_HEADERS, rows, right=[4, 5, 6])


def allocation_kinds_grid(allocation: Allocation, member: str | None = None) -> Grid:
    """Totals by kind of line and member (and for the cooperation)."""
    members = _selected(allocation, member)
    headers = ["kind", *(m.id for m in members)]
    if len(members) == len(allocation.members):
        headers.append("total")
    return grid(headers, _kind_summary(allocation, members), right=range(1, len(headers)))


def allocation_table(allocation: Allocation, member: str | None = None) -> str:
    """Each member's lines, grouped by kind, then the totals by kind and member."""
    out = [
        (
            f"{allocation.name} ({allocation.cooperation}): owner contributions "
            f"{allocation.year}, {allocation.currency}"
        )
    ]
    for result in _selected(allocation, member):
        out += ["", f"{result.id}: {result.name}", text_grid(allocation_lines_grid(result))]
    out += ["", "Totals by kind", text_grid(allocation_kinds_grid(allocation, member))]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """A table cell in Markdown: pipes and HTML neutralised."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\n", " ")
    )


def markdown_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int] = ()
) -> str:
    """A GitHub-flavoured Markdown table, cells escaped."""
    aligned = set(right)
    out = ["| " + " | ".join(_md(h) for h in headers) + " |"]
    out.append("|" + "|".join("---:" if i in aligned else "---" for i in range(len(headers))) + "|")
    out += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
    return "\n".join(out)


def allocation_markdown(allocation: Allocation, member: str | None = None) -> str:
    """The allocation as Markdown: a section per member, then totals by kind."""
    out = [
        f"# {_md(allocation.name)}: owner contributions {allocation.year} ({allocation.currency})"
    ]
    for result in _selected(allocation, member):
        out += [
            "",
            f"## {_md(result.id)}: {_md(result.name)}",
            "",
            markdown_grid(allocation_lines_grid(result)),
        ]
    out += ["", "## Totals by kind", "", markdown_grid(allocation_kinds_grid(allocation, member))]
    return "\n".join(out) + "\n"


def allocation_csv(allocation: Allocation, member: str | None = None) -> str:
    """One row per line; amounts as plain decimals (``1234.50``) for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["year", "member", "kind", "item", "name", "key", "quantity", "basis", "amount"]
    )
    for result in _selected(allocation, member):
        for line in result.lines:
            writer.writerow(
                [
                    allocation.year,
                    result.id,
                    line.kind.value,
                    line.item,
                    line.split.name,
                    line.split.key,
                    fraction_text(line.quantity),
                    fraction_text(line.split.basis),
                    str(line.amount),
                ]
            )
    return buffer.getvalue()


def allocation_data(allocation: Allocation, member: str | None = None) -> dict[str, Any]:
    """The allocation as the JSON contract's data (amounts as two-decimal strings)."""
    # What a split's lines share, written once per split (there are 300 splits
    # and 100 000 lines at national scale); keys in the contract's order.
    shared = {
        id(split): {
            "item": split.item,
            "kind": split.kind.value,
            "name": split.name,
            "key": split.key,
        }
        for split in allocation.splits
    }
    basis = {id(split): fraction_text(split.basis) for split in allocation.splits}
    return {
        "cooperation": allocation.cooperation,
        "year": allocation.year,
        "currency": allocation.currency,
        "total": str(allocation.total),
        "by_kind": {kind.value: str(amount) for kind, amount in allocation.by_kind().items()},
        "members": [
            {
                "id": result.id,
                "name": result.name,
                "total": str(result.total),
                "by_kind": {k.value: str(a) for k, a in result.by_kind().items()},
                "lines": [
                    {
                        **shared[id(line.split)],
                        "quantity": fraction_text(line.quantity),
                        "basis": basis[id(line.split)],
                        "amount": str(line.amount),
                    }
                    for line in result.lines
                ],
            }
            for result in _selected(allocation, member)
        ],
    }


def allocation_json(allocation: Allocation, member: str | None = None) -> str:
    """The allocation as JSON (see the spec format's contract)."""
    return to_json(allocation_data(allocation, member))


# -- unit prices --------------------------------------------------------------------


def _unit(price: UnitPrice) -> str:
    if price.per_unit is None:
        return ""
    return _amount(round_ore(price.per_unit))


def _price_row(price: UnitPrice) -> list[str]:
    return [
        price.system,
        price.name,
        price.package.value,
        price.key,
        price.metric.value if price.metric else "",
        _amount(price.annual_cost),
        fraction_text(price.basis),
        _unit(price),
        _amount(round_ore(price.per_participant)) if price.per_participant else "",
        ", ".join(price.participants),
    ]


_PRICE_HEADERS = [
    "system",
    "name",
    "package",
    "key",
    "metric",
    "annual cost",
    "basis",
    "per unit",
    "equal part each",
    "participants",
]


def prices_grid(prices: Sequence[UnitPrice]) -> Grid:
    """Unit prices per system, rounded to the øre for people."""
    return grid(_PRICE_HEADERS, [_price_row(p) for p in prices], right=[5, 6, 7, 8])


def prices_table(prices: Sequence[UnitPrice], currency: str) -> str:
    """Unit prices per system, for people (rounded to the øre)."""
    return (
        f"Unit prices per year, {currency} (per unit of the key's metric; "
        "an equal part is paid by each participant)\n\n" + text_grid(prices_grid(prices)) + "\n"
    )


def prices_markdown(prices: Sequence[UnitPrice], currency: str) -> str:
    """Unit prices per system as a Markdown table."""
    return f"Unit prices per year ({currency})\n\n" + markdown_grid(prices_grid(prices)) + "\n"


def prices_data(prices: Sequence[UnitPrice], currency: str) -> dict[str, Any]:
    """Unit prices as JSON data; exact prices as fractions of øre too."""
    return {
        "currency": currency,
        "systems": [
            {
                "id": p.system,
                "name": p.name,
                "package": p.package.value,
                "key": p.key,
                "metric": p.metric.value if p.metric else None,
                "annual_cost": str(p.annual_cost),
                "basis": fraction_text(p.basis),
                "per_unit": str(round_ore(p.per_unit)) if p.per_unit is not None else None,
                "per_participant": str(round_ore(p.per_participant)),
                "participants": list(p.participants),
            }
            for p in prices
        ],
    }


def prices_json(prices: Sequence[UnitPrice], currency: str) -> str:
    """Unit prices as JSON."""
    return to_json(prices_data(prices, currency))


def prices_csv(prices: Sequence[UnitPrice], currency: str) -> str:
    """Unit prices as CSV (plain decimals)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    data = prices_data(prices, currency)["systems"]
    writer.writerow(["currency", *data[0].keys()] if data else ["currency"])
    for row in data:
        writer.writerow(
            [currency, *("; ".join(v) if isinstance(v, list) else v for v in row.values())]
        )
    return buffer.getvalue()


# -- explain ------------------------------------------------------------------------


def _ore_text(exact: Fraction) -> str:
    """An exact øre amount in kroner, all decimals when finite."""
    return fraction_text(exact / 100)


def _key_words(split: Split) -> str:
    if split.key == ALONE:
        return "paid alone (100 %)"
    if split.metric is None:
        return f'key "{split.key}": fixed shares'
    metric = split.metric.value
    if split.metric is Metric.SYSTEM_USERS and split.system:
        metric = f"users of {split.system}"
    if split.equal_share == 0:
        return f'key "{split.key}": in proportion to {metric}'
    if split.equal_share == 1:
        return f'key "{split.key}": equally'
    equal = fraction_text(split.equal_share * 100)
    rest = fraction_text((1 - split.equal_share) * 100)
    return f'key "{split.key}": {equal} % equally, {rest} % in proportion to {metric}'


def _share_words(line: Line) -> str:
    split = line.split
    n = len(split.participants)
    if split.key == ALONE:
        return "1"
    quantity = fraction_text(line.quantity)
    basis = fraction_text(split.basis)
    if split.metric is None:
        formula = f"fixed share {quantity}"
    elif split.equal_share == 0:
        formula = f"{quantity} / {basis}"
    elif split.equal_share == 1:
        formula = f"1 / {n}"
    else:
        e = fraction_text(split.equal_share)
        rest = fraction_text(1 - split.equal_share)
        formula = f"{e} x 1/{n} + {rest} x {quantity}/{basis}"
    share = line.share
    shown = fraction_text(share)
    if shown.startswith("~"):
        shown = f"{share.numerator}/{share.denominator} ({shown})"
    return f"{formula} = {shown}"


def _rounding_words(line: Line) -> str:
    exact = line.exact_ore
    if exact.denominator == 1:
        return "exact"
    if line.rounding_ore:
        return "floored, then +0.01 by the largest remainder"
    floored = Fraction(exact.numerator // exact.denominator)
    return f"floored; {_ore_text(exact - floored)} below the exact share"


def explain_text(allocation: Allocation, member: str, item: str | None = None) -> str:
    """How each line of a member was computed: key, quantity, basis, share, rounding."""
    result = allocation.member(member)
    lines = _kind_sorted(result.lines)
    if item is not None:
        lines = [line for line in lines if line.item == item]
        if not lines:
            raise NotFoundError(f"line of {member}", item, [line.item for line in result.lines])
    currency = allocation.currency
    out = [f"{result.id} ({result.name}), {allocation.year}: {_amount(result.total)} {currency}"]
    for line in lines:
        split = line.split
        participants = ", ".join(split.participants)
        out += [
            "",
            f"{line.item} {split.name} ({line.kind.value})",
            f"  rule:      {_key_words(split)}",
            (
                f"  split:     {_amount(split.amount)} {currency} among "
                f"{_count(len(split.participants), 'participant')} ({participants})"
            ),
        ]
        if split.key != ALONE and split.metric is not None:
            out.append(
                f"  quantity:  {fraction_text(line.quantity)} of a basis of "
                f"{fraction_text(split.basis)}"
            )
        out += [
            f"  share:     {_share_words(line)}",
            f"  exact:     {_ore_text(line.exact_ore)} {currency}",
            f"  amount:    {_amount(line.amount)} {currency} ({_rounding_words(line)})",
        ]
    return "\n".join(out) + "\n"


# -- diff ---------------------------------------------------------------------------


def diff_table(result: AllocationDiff) -> str:
    """Per member, total before and after; then the lines that change."""
    before, after = result.before, result.after
    out = [
        (
            f"Owner contributions: {before.name} {before.year} -> {after.name} {after.year}, "
            f"{after.currency}"
        ),
        "",
        table(
            ["member", "before", "after", "change", "change %"],
            [
                [
                    m.id,
                    _amount(m.before),
                    _amount(m.after),
                    _amount(m.change),
                    _percent(m.percent),
                ]
                for m in result.members
            ]
            + [
                [
                    "total",
                    _amount(before.total),
                    _amount(after.total),
                    _amount(after.total - before.total),
                    "",
                ]
            ],
            right=[1, 2, 3, 4],
        ),
    ]
    for m in result.members:
        if not m.lines:
            continue
        out += [
            "",
            f"{m.id}: {m.name}",
            table(
                ["kind", "item", "name", "before", "after", "change"],
                [
                    [
                        c.kind.value,
                        c.item,
                        c.name,
                        _amount(c.before),
                        _amount(c.after),
                        _amount(c.change),
                    ]
                    for c in m.lines
                ],
                right=[3, 4, 5],
            ),
        ]
    return "\n".join(out) + "\n"


def diff_data(result: AllocationDiff) -> dict[str, Any]:
    """The diff as JSON data."""
    return {
        "before": {"cooperation": result.before.cooperation, "year": result.before.year},
        "after": {"cooperation": result.after.cooperation, "year": result.after.year},
        "currency": result.after.currency,
        "total": {"before": str(result.before.total), "after": str(result.after.total)},
        "members": [
            {
                "id": m.id,
                "before": str(m.before),
                "after": str(m.after),
                "change": str(m.change),
                "percent": None if m.percent is None else _percent_of(m.percent / 100),
                "lines": [
                    {
                        "item": c.item,
                        "kind": c.kind.value,
                        "before": str(c.before),
                        "after": str(c.after),
                        "change": str(c.change),
                    }
                    for c in m.lines
                ],
            }
            for m in result.members
        ],
    }


def diff_json(result: AllocationDiff) -> str:
    """The diff as JSON."""
    return to_json(diff_data(result))


def diff_markdown(result: AllocationDiff) -> str:
    """The diff as Markdown."""
    out = [
        (
            f"# Owner contributions {result.before.year} -> {result.after.year} "
            f"({result.after.currency})"
        ),
        "",
        markdown_table(
            ["member", "before", "after", "change", "change %"],
            [
                [m.id, _amount(m.before), _amount(m.after), _amount(m.change), _percent(m.percent)]
                for m in result.members
            ],
            right=[1, 2, 3, 4],
        ),
    ]
    for m in result.members:
        if m.lines:
            out += [
                "",
                f"## {_md(m.id)}",
                "",
                markdown_table(
                    ["kind", "item", "name", "before", "after", "change"],
                    [
                        [
                            c.kind.value,
                            c.item,
                            c.name,
                            _amount(c.before),
                            _amount(c.after),
                            _amount(c.change),
                        ]
                        for c in m.lines
                    ],
                    right=[3, 4, 5],
                ),
            ]
    return "\n".join(out) + "\n"


# -- harmonisation ------------------------------------------------------------------


def _percent_of(share: Fraction) -> str:
    """A share (0 to 1) as a percentage with two decimals: 10/13 is "76.92"."""
    # round_ore rounds to hundredths, so hundredths of a percent are its øre.
    return str(round_ore(share * 10_000).to_decimal())


def _pct(value: Fraction) -> str:
    return f"{_percent_of(value)} %"


def _system_cell(system: RunningSystem) -> str:
    """A system in a table: its id, bracketed when it deviates."""
    return system.id if system.standard else f"[{system.id}]"


def _status_of(member_is: bool) -> str:
    return "member" if member_is else "candidate"


def gaps_grid(result: Gaps) -> Grid:
    """A member's standing per domain: status, systems on both sides, paid alone."""
    return grid(_GAP_HEADERS, _gap_rows(result), right=[4])


def _gap_rows(result: Gaps) -> list[list[str]]:
    return [
        [
            d.domain,
            d.status.value,
            ", ".join(_system_cell(s) for s in d.systems) or "-",
            ", ".join(d.standard) or "-",
            _amount(d.cost_alone) if d.cost_alone else "",
        ]
        for d in result.domains
    ]


_GAP_HEADERS = ["domain", "status", "runs ([deviating])", "standard", "paid alone"]


def gaps_summary(result: Gaps) -> list[str]:
    """The harmonised shares and the cost paid alone, in words."""
    counted = [d for d in result.domains if d.status.value != "absent"]
    harmonised = sum(1 for d in counted if d.status.value == "harmonised")
    return [
        (
            f"Harmonised: {harmonised} of {len(counted)} domains "
            f"({_pct(result.harmonised_domains)}); "
            f"{_pct(result.harmonised_users)} of users and {_pct(result.harmonised_cost)} of cost "
            "(applications and own systems)."
        ),
        f"Paid alone for own systems: {_amount(result.cost_alone)} {result.currency} a year.",
    ]


def gaps_table(result: Gaps) -> str:
    """A member's gaps per domain, then the harmonised shares."""
    out = [
        (
            f"{result.member} ({result.name}), {_status_of(result.is_member)}: harmonisation "
            f"{result.year}, {result.currency}"
        ),
        "",
        text_grid(gaps_grid(result)),
        "",
        *gaps_summary(result),
    ]
    return "\n".join(out) + "\n"


def gaps_markdown(result: Gaps) -> str:
    """A member's gaps as Markdown."""
    out = [
        f"# Harmonisation: {_md(result.name)} ({_status_of(result.is_member)}), {result.year}",
        "",
        markdown_grid(gaps_grid(result)),
        "",
        *(_md(line) for line in gaps_summary(result)),
    ]
    return "\n".join(out) + "\n"


def gaps_data(result: Gaps) -> dict[str, Any]:
    """A member's gaps as JSON data (see the spec format's contract)."""
    return {
        "member": result.member,
        "name": result.name,
        "status": _status_of(result.is_member),
        "year": result.year,
        "currency": result.currency,
        "cost_alone": str(result.cost_alone),
        "harmonised": {
            "domains_percent": _percent_of(result.harmonised_domains),
            "users_percent": _percent_of(result.harmonised_users),
            "cost_percent": _percent_of(result.harmonised_cost),
        },
        "domains": [
            {
                "domain": d.domain,
                "name": d.name,
                "status": d.status.value,
                "systems": [
                    {
                        "id": s.id,
                        "name": s.name,
                        "standard": s.standard,
                        "own": s.own,
                        "users": s.users,
                        "cost_alone": str(s.cost_alone),
                    }
                    for s in d.systems
                ],
                "standard": list(d.standard),
                "cost_alone": str(d.cost_alone),
            }
            for d in result.domains
        ],
    }


def gaps_json(result: Gaps) -> str:
    """A member's gaps as JSON."""
    return to_json(gaps_data(result))


def _matrix_rows(result: Matrix) -> list[list[str]]:
    rows = []
    for row in result.rows:
        cells = []
        for member in result.members:
            gap = row.cells.get(member)
            cells.append(", ".join(_system_cell(s) for s in gap.systems) if gap else "")
        rows.append([row.domain, *(c or "-" for c in cells)])
    return rows


def _matrix_headers(result: Matrix) -> list[str]:
    return [
        "domain",
        *(f"{m} (candidate)" if m in result.candidates else m for m in result.members),
    ]


#: How the matrix marks systems.
MATRIX_LEGEND = "Standard systems plain, [deviating] ones (own or non-standard) in brackets."


def matrix_grid(result: Matrix) -> Grid:
    """Domains by members: the systems each runs, deviating ones bracketed."""
    return grid(_matrix_headers(result), _matrix_rows(result))


def matrix_table(result: Matrix) -> str:
    """Domains by members: the systems each runs."""
    return text_grid(matrix_grid(result)) + "\n\n" + MATRIX_LEGEND + "\n"


def matrix_markdown(result: Matrix) -> str:
    """Domains by members as Markdown."""
    return markdown_grid(matrix_grid(result)) + "\n\n" + _md(MATRIX_LEGEND) + "\n"


def matrix_data(result: Matrix) -> dict[str, Any]:
    """Domains by members as JSON data."""
    return {
        "cooperation": result.cooperation,
        "members": list(result.members),
        "candidates": list(result.candidates),
        "domains": [
            {
                "domain": row.domain,
                "name": row.name,
                "standard": list(row.standard),
                "members": {
                    member: {
                        "status": gap.status.value,
                        "systems": [
                            {"id": s.id, "name": s.name, "standard": s.standard, "own": s.own}
                            for s in gap.systems
                        ],
                    }
                    for member, gap in row.cells.items()
                },
            }
            for row in result.rows
        ],
    }


def matrix_json(result: Matrix) -> str:
    """Domains by members as JSON."""
    return to_json(matrix_data(result))


def _signed(money: Money | None) -> str:
    if money is None:
        return ""
    return ("+" if money.ore > 0 else "") + _amount(money)


_ROADMAP_HEADERS = [
    "#",
    "system",
    "domain",
    "move to",
    "natural time",
    "needs first",
    "pays today",
    "effect a year",
]


def _roadmap_rows(result: Roadmap) -> list[list[str]]:
    return [
        [
            str(index),
            f"{s.system} {s.name}",
            s.domain,
            f"{s.target} {s.target_name}" if s.target else "(no standard system)",
            s.natural_time.isoformat() if s.natural_time else "",
            ", ".join(s.depends_on),
            _amount(s.pays_today),
            _signed(s.effect),
        ]
        for index, s in enumerate(result.steps, start=1)
    ]


def roadmap_grid(result: Roadmap) -> Grid:
    """The steps of a roadmap, in order."""
    return grid(_ROADMAP_HEADERS, _roadmap_rows(result), right=[0, 6, 7])


def roadmap_notes(result: Roadmap) -> list[str]:
    """The roadmap's totals and any dependency cycles, in words."""
    notes = [
        (
            f"Contribution today: {_amount(result.total_before)} {result.currency}; after every "
            f"step: {_amount(result.total_after_all)} ({_signed(result.effect_all)} a year)."
        ),
        "Each step's effect is priced alone against today's spec by the allocation engine.",
    ]
    notes += [
        "Dependency cycle (no order can respect it): " + " -> ".join([*cycle, cycle[0]])
        for cycle in result.cycles
    ]
    notes += [
        f"{s.system} cannot be priced after the move, and is left out of the total: {s.unpriced}"
        for s in result.steps
        if s.unpriced
    ]
    return notes


def roadmap_table(result: Roadmap) -> str:
    """The roadmap as a table, then the totals and any cycles."""
    out = [
        (
            f"{result.member} ({result.name}), {_status_of(result.is_member)}: harmonisation "
            f"roadmap {result.year}, {result.currency}"
        ),
        "",
    ]
    if result.steps:
        out.append(text_grid(roadmap_grid(result)))
    else:
        out.append("No deviating systems: nothing to harmonise.")
    out += ["", *roadmap_notes(result)]
    return "\n".join(out) + "\n"


def roadmap_markdown(result: Roadmap) -> str:
    """The roadmap as Markdown."""
    out = [f"# Harmonisation roadmap: {_md(result.name)}, {result.year}", ""]
    if result.steps:
        out.append(markdown_grid(roadmap_grid(result)))
    else:
        out.append("No deviating systems: nothing to harmonise.")
    out += ["", *(_md(n) for n in roadmap_notes(result))]
    return "\n".join(out) + "\n"


def roadmap_data(result: Roadmap) -> dict[str, Any]:
    """The roadmap as JSON data."""
    return {
        "member": result.member,
        "name": result.name,
        "status": _status_of(result.is_member),
        "year": result.year,
        "currency": result.currency,
        "total_before": str(result.total_before),
        "total_after_all": str(result.total_after_all),
        "effect_all": str(result.effect_all),
        "cycles": [list(c) for c in result.cycles],
        "steps": [
            {
                "system": s.system,
                "name": s.name,
                "domain": s.domain,
                "own": s.own,
                "users": s.users,
                "target": s.target,
                "natural_time": s.natural_time.isoformat() if s.natural_time else None,
                "depends_on": list(s.depends_on),
                "pays_today": str(s.pays_today),
                "total_after": str(s.total_after) if s.total_after is not None else None,
                "effect": str(s.effect) if s.effect is not None else None,
                "unpriced": s.unpriced,
            }
            for s in result.steps
        ],
    }


def roadmap_json(result: Roadmap) -> str:
    """The roadmap as JSON."""
    return to_json(roadmap_data(result))


# -- joining ------------------------------------------------------------------------


def _one_time_rows(result: JoinEstimate) -> list[list[str]]:
    rows = [
        [
            item.category.value,
            item.item,
            f"{item.quantity} {item.unit}",
            _amount(item.unit_price),
            _amount(item.amount),
            item.rule,
        ]
        for item in result.one_time
    ]
    rows.append(["total", "", "", "", _amount(result.one_time_total), ""])
    return rows


_ONE_TIME_HEADERS = ["category", "item", "quantity", "unit price", "amount", "rule"]


def _effect_rows(result: JoinEstimate) -> list[list[str]]:
    rows = [
        [
            m.id,
            _amount(m.before),
            _amount(m.after),
            _signed(m.change),
            _percent(m.percent),
        ]
        for m in result.members
    ]
    rows.append(
        [
            result.candidate,
            _amount(Money(0)),
            _amount(result.annual.total),
            _signed(result.annual.total),
            "new",
        ]
    )
    rows.append(
        [
            "total",
            _amount(result.total_before),
            _amount(result.total_after),
            _signed(result.total_after - result.total_before),
            "",
        ]
    )
    return rows


_EFFECT_HEADERS = ["member", "before", "after", "change", "change %"]


def join_costs_grid(result: JoinEstimate) -> Grid:
    """The one-time costs of joining, with their rules, and their total."""
    return grid(_ONE_TIME_HEADERS, _one_time_rows(result), right=[2, 3, 4])


def join_members_grid(result: JoinEstimate) -> Grid:
    """Every member's total before and after, the candidate, and the cooperation."""
    return grid(_EFFECT_HEADERS, _effect_rows(result), right=[1, 2, 3, 4])


def _join_title(result: JoinEstimate) -> str:
    kept = "kept" if result.thin_clients.value == "keep" else "replaced"
    return (
        f"{result.candidate} ({result.name}) joining: implemented in {result.year}, "
        f"thin clients {kept}, {result.currency}"
    )


def join_annual_text(result: JoinEstimate) -> str:
    """The candidate's annual contribution once a member, in words."""
    kinds = ", ".join(
        f"{kind.value} {_amount(amount)}"
        for kind, amount in result.annual.by_kind().items()
        if amount
    )
    return (
        f"Annual contribution once a member (budget year {result.budget_year}): "
        f"{_amount(result.annual.total)} {result.currency} ({kinds})."
    )


def join_table(result: JoinEstimate) -> str:
    """The onboarding estimate: one-time costs, the annual contribution, the what-if."""
    by_category = "; ".join(
        f"{category.value} {_amount(amount)}" for category, amount in result.by_category().items()
    )
    out = [
        _join_title(result),
        "",
        "One-time costs",
        text_grid(join_costs_grid(result)),
        f"By category: {by_category}.",
        "",
        join_annual_text(result),
        "",
        (
            f"Contributions of the budget year {result.budget_year}, without and with "
            f"{result.candidate}"
        ),
        text_grid(join_members_grid(result)),
    ]
    return "\n".join(out) + "\n"


def join_markdown(result: JoinEstimate) -> str:
    """The onboarding estimate as Markdown."""
    out = [
        f"# {_md(_join_title(result))}",
        "",
        "## One-time costs",
        "",
        markdown_grid(join_costs_grid(result)),
        "",
        "## Annual",
        "",
        _md(join_annual_text(result)),
        "",
        markdown_grid(join_members_grid(result)),
    ]
    return "\n".join(out) + "\n"


def join_data(result: JoinEstimate) -> dict[str, Any]:
    """The onboarding estimate as JSON data (see the spec format's contract)."""
    return {
        "candidate": result.candidate,
        "name": result.name,
        "year": result.year,
        "budget_year": result.budget_year,
        "currency": result.currency,
        "thin_clients": result.thin_clients.value,
        "one_time": {
            "total": str(result.one_time_total),
            "by_category": {c.value: str(a) for c, a in result.by_category().items()},
            "items": [
                {
                    "category": item.category.value,
                    "item": item.item,
                    "quantity": str(item.quantity),
                    "unit": item.unit,
                    "unit_price": str(item.unit_price),
                    "amount": str(item.amount),
                    "rule": item.rule,
                }
                for item in result.one_time
            ],
        },
        "annual": {
            "total": str(result.annual.total),
            "by_kind": {k.value: str(a) for k, a in result.annual.by_kind().items()},
            "lines": [
                {
                    "item": line.item,
                    "kind": line.kind.value,
                    "key": line.split.key,
                    "quantity": fraction_text(line.quantity),
                    "basis": fraction_text(line.split.basis),
                    "amount": str(line.amount),
                }
                for line in result.annual.lines
            ],
        },
        "members": [
            {
                "id": m.id,
                "before": str(m.before),
                "after": str(m.after),
                "change": str(m.change),
            }
            for m in result.members
        ],
        "total": {"before": str(result.total_before), "after": str(result.total_after)},
        "fleet": [
            {
                "model": m.model,
                "kind": m.kind.value,
                "units": m.units,
                "replaced": m.replaced,
                "school_replaced": m.school_replaced,
                "small": m.small,
                "image": m.image,
            }
            for m in result.fleet
        ],
    }


def join_json(result: JoinEstimate) -> str:
    """The onboarding estimate as JSON."""
    return to_json(join_data(result))


# -- economic plan ------------------------------------------------------------------


def _plan_title(result: Plan) -> str:
    first, last = result.years[0].year, result.years[-1].year
    growth = fraction_text(result.growth * 100)
    note = f", price growth {growth} % a year from {first + 1}" if result.growth else ""
    return f"{result.name}: economic plan {first}-{last}, {result.currency}{note}"


def plan_totals_grid(result: Plan) -> Grid:
    """Each member's total per year of the plan, and the year's total."""
    headers = ["member", *(str(y.year) for y in result.years)]
    rows = []
    for member in result.members:
        row = [member]
        for year in result.years:
            cell = next((c for c in year.cells if c.member == member), None)
            row.append(_amount(cell.total) if cell else "")
        rows.append(row)
    rows.append(["total", *(_amount(y.total) for y in result.years)])
    return grid(headers, rows, right=range(1, len(headers)))


_PLAN_HEADERS = [
    "member",
    "operating",
    "core inv.",
    "application inv.",
    "member inv.",
    "fleet renewal",
    "joining",
    "total",
]


def plan_year_grid(year: PlanYear) -> Grid:
    """One year of the plan by member and kind of cost."""
    rows = [
        [
            cell.member,
            _amount(cell.operating),
            _amount(cell.investments[Category.CORE]),
            _amount(cell.investments[Category.APPLICATION]),
            _amount(cell.investments[Category.MEMBER]),
            _amount(cell.fleet_renewal),
            _amount(cell.joining),
            _amount(cell.total),
        ]
        for cell in year.cells
    ]
    sums = [
        Money.sum(c.operating for c in year.cells),
        Money.sum(c.investments[Category.CORE] for c in year.cells),
        Money.sum(c.investments[Category.APPLICATION] for c in year.cells),
        Money.sum(c.investments[Category.MEMBER] for c in year.cells),
        Money.sum(c.fleet_renewal for c in year.cells),
        Money.sum(c.joining for c in year.cells),
        year.total,
    ]
    rows.append(["total", *(_amount(s) for s in sums)])
    return grid(_PLAN_HEADERS, rows, right=range(1, 8))


def plan_table(result: Plan) -> str:
    """The plan: totals per member and year, then each year by kind of cost."""
    out = [_plan_title(result), "", text_grid(plan_totals_grid(result))]
    for year in result.years:
        out += [
            "",
            f"{year.year} (operating costs x {fraction_text(year.growth_factor)})",
            text_grid(plan_year_grid(year)),
        ]
    return "\n".join(out) + "\n"


def plan_markdown(result: Plan) -> str:
    """The plan as Markdown."""
    out = [f"# {_md(_plan_title(result))}", "", markdown_grid(plan_totals_grid(result))]
    for year in result.years:
        out += [
            "",
            f"## {year.year}",
            "",
            markdown_grid(plan_year_grid(year)),
        ]
    return "\n".join(out) + "\n"


def plan_data(result: Plan) -> dict[str, Any]:
    """The plan as JSON data."""
    return {
        "cooperation": result.cooperation,
        "currency": result.currency,
        "growth_percent": fraction_text(result.growth * 100),
        "years": [
            {
                "year": year.year,
                "growth_factor": fraction_text(year.growth_factor),
                "total": str(year.total),
                "members": [
                    {
                        "id": cell.member,
                        "operating": str(cell.operating),
                        "investments": {c.value: str(a) for c, a in cell.investments.items()},
                        "fleet_renewal": str(cell.fleet_renewal),
                        "joining": str(cell.joining),
                        "total": str(cell.total),
                    }
                    for cell in year.cells
                ],
            }
            for year in result.years
        ],
    }


def plan_json(result: Plan) -> str:
    """The plan as JSON."""
    return to_json(plan_data(result))


def plan_csv(result: Plan) -> str:
    """The plan as CSV: one row per member and year, plain decimals."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "year",
            "member",
            "operating",
            "core_investment",
            "application_investment",
            "member_investment",
            "fleet_renewal",
            "joining",
            "total",
        ]
    )
    for year in result.years:
        for cell in year.cells:
            writer.writerow(
                [
                    year.year,
                    cell.member,
                    str(cell.operating),
                    str(cell.investments[Category.CORE]),
                    str(cell.investments[Category.APPLICATION]),
                    str(cell.investments[Category.MEMBER]),
                    str(cell.fleet_renewal),
                    str(cell.joining),
                    str(cell.total),
                ]
            )
    return buffer.getvalue()
