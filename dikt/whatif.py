"""What stops a what-if with a candidate: found once, for ``check`` and for the what-ifs.

A candidate takes part in nothing until a what-if makes it a member: ``dikt
join``, ``report``, ``keys --candidate``, ``gaps`` and ``roadmap`` for it, and
the plan for the years from its joined date. What its file says, and whether
the spec's keys and cost models can serve it, may stop those what-ifs; it
never stops the members' own analyses (``allocate``, ``explain``,
``prices``, ``diff``, ``keys``, ``gaps`` and ``roadmap`` for members, the
exports).

:func:`blockers` finds each such problem once, as a frozen :class:`Blocker`
that names the candidates, the what-ifs it stops and how to fix it.
:func:`dikt.check` reports each as a warning (W207-W211, W213), and each what-if
calls :func:`refuse` before it computes anything, which stops it with the
same words (:class:`~dikt.errors.WhatIfError`, exit 1 on the command line).
:func:`with_candidates` gives the cooperation's keys once candidates join:
a key of fixed shares takes its ``shares_with`` table for the candidate.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable

import attrs

from dikt._layout import COOPERATION_FILE, member_file
from dikt._memberfile import member_file_problems
from dikt.errors import Problem, Severity, WhatIfError, format_path
from dikt.i18n import Message, all_of, message, message_n
from dikt.limits import MAX_SUBSET_PLAYERS, YEAR_MAX, YEAR_MIN
from dikt.model import Category, Cooperation, Key, Member, Package, SetAside, StepBasis
from dikt.rules import derived, fixed_part, horizon, needs, participants, pays_in

__all__ = [
    "Blocker",
    "WhatIf",
    "blockers",
    "plan_joiners",
    "refuse",
    "refuse_set_aside",
    "set_aside",
    "set_aside_as",
    "set_aside_named",
    "set_aside_warnings",
    "undated",
    "with_candidates",
]


class WhatIf(enum.Enum):
    """A what-if with a candidate, by the command that asks it."""

    JOIN = "join"
    REPORT = "report"
    KEYS = "keys --candidate"
    GAPS = "gaps"
    ROADMAP = "roadmap"
    PLAN = "plan"


#: The what-ifs that price a candidate as a member with the spec's keys.
_BY_KEYS: frozenset[WhatIf] = frozenset(
    {WhatIf.JOIN, WhatIf.REPORT, WhatIf.KEYS, WhatIf.GAPS, WhatIf.ROADMAP}
)
#: Every what-if with one candidate (the plan is one with every candidate joining in its years).
_ALL: frozenset[WhatIf] = frozenset(WhatIf) - {WhatIf.PLAN}
#: The what-ifs that price a candidate by the cost models, with what moves over.
_BY_COSTS: frozenset[WhatIf] = frozenset({WhatIf.JOIN, WhatIf.REPORT, WhatIf.KEYS})


@attrs.frozen(kw_only=True)
class Blocker:
    """One problem that stops what-ifs with a candidate (or with candidates joining together).

    ``message`` names the candidates, the what-ifs and how to fix it, in the
    words of both ``check``'s warning and the what-if's refusal.
    """

    code: str  #: W207-W211, W213
    candidates: tuple[str, ...]  #: the candidate, or the candidates joining together
    blocks: frozenset[WhatIf]  #: the what-ifs it stops
    file: str
    path: tuple[str | int, ...]
    message: str  #: a :func:`dikt.i18n.message`
    #: Only when the implementation year is not given (a candidate without a joined date).
    unless_year: bool = False
    #: W213: the error in the candidate's file, whose place (path, line, column) it keeps.
    origin: Problem | None = None

    def problem(self) -> Problem:
        """As :func:`dikt.check` reports it: a warning at its file and key path."""
        if self.origin is not None:
            return attrs.evolve(
                self.origin,
                code=self.code,
                message=self.message,
                severity=Severity.WARNING,
                cause=self.origin.code,
            )
        return Problem(
            file=self.file,
            path=format_path(self.path),
            code=self.code,
            message=self.message,
            severity=Severity.WARNING,
        )


def _listed(blocks: Collection[WhatIf]) -> str:
    """The what-ifs as the commands that ask them, in :class:`WhatIf`'s order."""
    return ", ".join(what.value for what in WhatIf if what in blocks)


def plan_joiners(cooperation: Cooperation, last: int) -> tuple[str, ...]:
    """The candidates a plan up to ``last`` prices as members, by id: joined after the
    budget year and in or before ``last``.

    One whose date is in or before the budget year (`dikt check` W206) joins in no
    year of the plan: the budget year is the members' bills, which a candidate
    never pays, so the plan's first year and ``dikt allocate`` give the same
    figures; and what would stop its pricing does not stop the plan.
    """
    return tuple(
        member_id
        for member_id, member in sorted(cooperation.members.items())
        if not member.is_member
        and member.joined is not None
        and cooperation.budget_year < member.joined.year <= last
    )


def set_aside(cooperation: Cooperation) -> Cooperation:
    """The cooperation without the candidates whose own file has errors.

    Each goes to ``cooperation.set_aside`` with its errors, so that nothing
    the members compute sees what its file says: its errors stop only the
    what-ifs with it (W213). :func:`dikt.load` calls it (a candidate's file
    that cannot be read into the model at all is set aside there too), and so
    does :func:`dikt.check` for a cooperation built in Python.
    """
    aside: dict[str, SetAside] = {}
    for member_id, member in cooperation.members.items():
        if member.is_member:
            continue
        errors = [
            problem
            for problem in member_file_problems(cooperation, member)
            if problem.severity is Severity.ERROR
        ]
        if errors:
            aside[member_id] = SetAside(
                id=member_id,
                problems=tuple(_located(cooperation, errors)),
                joined=member.joined,
                dated=member.joined is not None,
            )
    if not aside:
        return cooperation
    members = {key: value for key, value in cooperation.members.items() if key not in aside}
    return attrs.evolve(
        cooperation,
        members=members,
        set_aside=dict(sorted({**cooperation.set_aside, **aside}.items())),
    )


def _set_aside_blockers(cooperation: Cooperation, entry: SetAside, plan: range) -> list[Blocker]:
    """W213: the errors in a set-aside candidate's file, each stopping every what-if with it,
    and the plan if the candidate joins in its years or is implemented in them (the year
    before), or may be (its date is not one), as the plan prices a candidate."""
    joined = entry.joined
    in_plan = bool(plan) and (
        joined is None or cooperation.budget_year < joined.year <= plan[-1] + 1
    )
    stops_plan = entry.dated and in_plan
    blocks = _ALL | ({WhatIf.PLAN} if stops_plan else set())
    found = []
    for problem in entry.problems:
        words = {
            "problem": problem.message,
            "code": problem.code or "",
            "candidate": entry.id,
            "whatifs": _listed(_ALL),
        }
        if stops_plan:
            # The plan prices it as a member, and every joining report holds the plan.
            text = message(
                '{problem} ({code}): candidate "{candidate}" is left out of the members\' '
                "analyses; the what-ifs with it ({whatifs}), and the plan it joins in with "
                "every candidate's report, stop until its file is fixed",
                **words,
            )
        else:
            text = message(
                '{problem} ({code}): candidate "{candidate}" is left out of the members\' '
                "analyses, and the what-ifs with it ({whatifs}) stop until its file is fixed",
                **words,
            )
        found.append(
            Blocker(
                code="W213",
                candidates=(entry.id,),
                blocks=blocks,
                file=problem.file,
                path=(),
                origin=problem,
                message=text,
            )
        )
    return found


def set_aside_as(cooperation: Cooperation, ident: str) -> SetAside | None:
    """The set-aside candidate ``ident`` names: by its file's name, or by the id the file
    gives (E009); None if it names none."""
    entry = cooperation.set_aside.get(ident)
    if entry is not None:
        return entry
    return next((e for e in cooperation.set_aside.values() if e.named == ident), None)


def _shares_system(member: Member, cooperation: Cooperation, system_id: str) -> bool:
    """Whether ``member``, as a member, takes part in a catalogue system's cost."""
    if cooperation.systems[system_id].package is Package.BASE:
        return True
    usage = member.systems.get(system_id)
    return usage is not None and usage.users > 0


def _need(member: Member, cooperation: Cooperation, system_id: str) -> int:
    """A member's users of a catalogue system, as its cost model counts them."""
    if cooperation.systems[system_id].package is Package.BASE:
        return member.users
    usage = member.systems.get(system_id)
    return usage.users if usage is not None and usage.users > 0 else 0


def _fixed_key_items(
    cooperation: Cooperation, years: Collection[int]
) -> dict[str, list[tuple[str, str | None]]]:
    """For each key of fixed shares, the items it splits: (item, its system or None).

    Catalogue systems (whatever their years: the cost models price them all),
    and the investments of ``years``: a core one among every member (system
    None), an application one among its system's participants.
    """
    fixed = {key_id for key_id, key in cooperation.keys.items() if key.shares is not None}
    items: dict[str, list[tuple[str, str | None]]] = {}
    if not fixed:
        return items
    for system_id, system in sorted(cooperation.systems.items()):
        key_id = cooperation.key_of(system)
        if key_id in fixed:
            items.setdefault(key_id, []).append((system_id, system_id))
    for investment in sorted(cooperation.investments, key=lambda i: i.id):
        if investment.year not in years or investment.category is Category.MEMBER:
            continue
        if investment.category is Category.CORE:
            key_id = investment.key or cooperation.defaults.core_investment_key
            target = None
        elif (found := cooperation.systems.get(investment.system or "")) is not None:
            key_id, target = cooperation.key_of(found), found.id
        else:
            continue
        if key_id in fixed:
            items.setdefault(key_id, []).append((investment.id, target))
    return items


def _touches(
    cooperation: Cooperation, member: Member, split: list[tuple[str, str | None]]
) -> tuple[list[str], list[str]]:
    """The items of a key ``member`` would share once a member, and those it would not
    that have payers today (a key's shares must fit those)."""
    shared, apart = [], []
    for item, system_id in split:
        if system_id is None or _shares_system(member, cooperation, system_id):
            shared.append(item)
        elif participants(cooperation, system_id):
            apart.append(item)
    return shared, apart


def with_candidates(cooperation: Cooperation, candidates: Iterable[str]) -> Cooperation:
    """The cooperation with each fixed-share key as it stands once ``candidates`` join.

    A key of fixed shares that one of them would share takes its
    ``shares_with`` table for that candidate; the other keys stay. Where no
    table fits (see :func:`blockers`), the key stays as it is, and the
    what-if that prices it would fail: :func:`refuse` stops it first.
    """
    joining = [cooperation.members[c] for c in sorted(set(candidates))]
    joining = [m for m in joining if not m.is_member]
    if not joining or not any(k.shares_with for k in cooperation.keys.values()):
        return cooperation
    # Whatever year is priced: a key the candidate shares anything of takes its table.
    items = _fixed_key_items(cooperation, range(YEAR_MIN, YEAR_MAX + 1))
    keys: dict[str, Key] = dict(cooperation.keys)
    changed = False
    for key_id, split in items.items():
        key = keys[key_id]
        touching = [m.id for m in joining if _touches(cooperation, m, split)[0]]
        if len(touching) == 1 and touching[0] in key.shares_with:
            keys[key_id] = attrs.evolve(key, shares=key.shares_with[touching[0]])
            changed = True
    return attrs.evolve(cooperation, keys=keys) if changed else cooperation


def _years_of(cooperation: Cooperation, member: Member) -> set[int]:
    """The years ``check`` vouches for a candidate's what-ifs: the plan's, and the year it joins."""
    years = set(horizon(cooperation))
    if member.joined is not None:
        years.add(max(cooperation.budget_year, member.joined.year))
    return years


def blockers(
    cooperation: Cooperation,
    candidate: str | None = None,
    *,
    years: Collection[int] | None = None,
    plan_years: range | None = None,
) -> tuple[Blocker, ...]:
    """Every problem that stops a what-if with a candidate, ``candidate``'s alone if given.

    ``years`` are the years the what-ifs price (default: the budget year,
    the three after it and the year the candidate joins); ``plan_years``
    those of the plan (default: the budget year and the three after it).
    """
    plan = horizon(cooperation) if plan_years is None else plan_years
    cooperation = set_aside(cooperation)  # as loading does, for a cooperation built in Python
    found: list[Blocker] = []
    aside = set_aside_as(cooperation, candidate) if candidate is not None else None
    for entry in cooperation.set_aside.values():
        if candidate is None or entry is aside:
            found += _set_aside_blockers(cooperation, entry, plan)
    chosen = [
        member
        for member_id, member in sorted(cooperation.members.items())
        if not member.is_member and (candidate is None or member_id == candidate)
    ]
    if not chosen:
        return tuple(found)
    in_plan = set(plan_joiners(cooperation, plan[-1])) if plan else set()
    steps = _stepped(cooperation)
    for member in chosen:
        priced_years = _years_of(cooperation, member) if years is None else set(years)
        also = {WhatIf.PLAN} if member.id in in_plan else set()
        found += _missing_shares(cooperation, member, priced_years, also)
        if member.joined is None or member.joined.year - 1 < YEAR_MIN:
            found.append(undated(member))
        elif not any(pays_in(m, member.joined.year - 1) for m in derived(cooperation).active):
            found.append(undated(member, cooperation))
        found += _capacity(cooperation, steps, [member], _BY_COSTS | also)
        found += _shapley(cooperation, steps, member)
        found += _transfers(cooperation, member, _BY_COSTS | also)
    joining = [cooperation.members[c] for c in sorted(in_plan)]
    if len(joining) > 1 and (candidate is None or candidate in in_plan):
        found += _plan_shares(cooperation, joining, plan)
        found += _capacity(cooperation, steps, joining, frozenset({WhatIf.PLAN, WhatIf.REPORT}))
    return tuple(found)


def undated(member: Member, cooperation: Cooperation | None = None) -> Blocker:
    """W208: a candidate without a joined date (or one in dikt's first year), whose join and
    report need the implementation year.

    With ``cooperation``: one whose implementation year, the year before it
    joins, is a year in which the cooperation has no members, as ``join
    --year`` refuses it.
    """
    if member.joined is not None and cooperation is not None:
        text = message(
            'candidate "{candidate}" joins on {joined}: the year before, its implementation '
            "year, {cooperation} has no members to implement it; join and report for it need "
            "the implementation year (--year)",
            candidate=member.id,
            joined=member.joined.isoformat(),
            cooperation=cooperation.id,
        )
    elif member.joined is not None:
        text = message(
            'candidate "{candidate}" joins on {joined}: the year before, its implementation '
            "year, is before {first}, dikt's first year; join and report for it need the "
            "implementation year (--year)",
            candidate=member.id,
            joined=member.joined.isoformat(),
            first=YEAR_MIN,
        )
    else:
        text = message(
            'candidate "{candidate}" has no joined date: join and report for it need the '
            "implementation year (--year); set `joined` in {file}",
            candidate=member.id,
            file=member_file(member.id),
        )
    return Blocker(
        code="W208",
        candidates=(member.id,),
        blocks=frozenset({WhatIf.JOIN, WhatIf.REPORT}),
        file=member_file(member.id),
        path=() if member.joined is None else ("joined",),
        message=text,
        unless_year=True,
    )


def _missing_shares(
    cooperation: Cooperation, member: Member, years: Collection[int], also: set[WhatIf]
) -> list[Blocker]:
    """W207: a key of fixed shares the candidate would share, without shares for it."""
    found = []
    for key_id, split in sorted(_fixed_key_items(cooperation, years).items()):
        shared, apart = _touches(cooperation, member, split)
        if not shared:
            continue
        key = cooperation.keys[key_id]
        blocks = frozenset(_BY_KEYS | also)
        if member.id not in key.shares_with:
            text = message(
                'key "{key}" has fixed shares and none for candidate "{candidate}", who '
                "would share {items} once it joins: the what-ifs with it ({whatifs}) cannot "
                "price it; state the shares after it joins in "
                "[keys.{key}.shares_with.{candidate}], or split these by a metric",
                key=key_id,
                candidate=member.id,
                items=", ".join(shared),
                whatifs=_listed(blocks),
            )
        elif apart:
            text = message(
                'key "{key}" splits {items}, which candidate "{candidate}" would share once '
                "it joins, and {others}, which it would not: no one table of shares fits "
                "both, so the what-ifs with it ({whatifs}) cannot price it; split them by "
                "separate keys",
                key=key_id,
                candidate=member.id,
                items=", ".join(shared),
                others=", ".join(apart),
                whatifs=_listed(blocks),
            )
        else:
            continue
        found.append(
            Blocker(
                code="W207",
                candidates=(member.id,),
                blocks=blocks,
                file=COOPERATION_FILE,
                path=("keys", key_id, "shares"),
                message=text,
            )
        )
    return found


def _plan_shares(cooperation: Cooperation, joining: list[Member], plan: range) -> list[Blocker]:
    """W207: a key of fixed shares that two or more candidates joining during the plan share."""
    found = []
    for key_id, split in sorted(_fixed_key_items(cooperation, plan).items()):
        touching = [m for m in joining if _touches(cooperation, m, split)[0]]
        if len(touching) < 2:
            continue
        assert all(m.joined is not None for m in touching)  # joiners have dates
        together = max(m.joined.year for m in touching if m.joined is not None)
        found.append(
            Blocker(
                code="W207",
                candidates=tuple(m.id for m in touching),
                blocks=frozenset({WhatIf.PLAN, WhatIf.REPORT}),
                file=COOPERATION_FILE,
                path=("keys", key_id, "shares"),
                message=message(
                    'key "{key}" has fixed shares, and candidates {candidates} would all share '
                    "it once they join: shares_with states the shares after one candidate "
                    "joins, so the plan (and every report) cannot price {year} and later; "
                    "split these by a metric",
                    key=key_id,
                    candidates=", ".join(f'"{m.id}"' for m in touching),
                    year=together,
                ),
            )
        )
    return found


#: A system priced by capacity steps: its id, and today's needs by member id.
_Stepped = tuple[str, dict[str, int]]


def _stepped(cooperation: Cooperation) -> list[_Stepped]:
    """The systems with capacity steps whose model adds up today, with today's needs."""
    found = []
    for system_id, system in sorted(cooperation.systems.items()):
        model = system.cost_model
        if model is None or not model.steps:
            continue
        if fixed_part(cooperation, system_id) is None:
            continue  # E118: the members' part is not sound
        found.append((system_id, needs(cooperation, system_id)))
    return found


def _capacity(
    cooperation: Cooperation,
    stepped: list[_Stepped],
    joining: list[Member],
    blocks: Collection[WhatIf],
) -> list[Blocker]:
    """W209: capacity steps that cannot serve the members with the candidates."""
    found = []
    for system_id, today in stepped:
        system = cooperation.systems[system_id]
        model = system.cost_model
        assert model is not None
        added = [_need(m, cooperation, system_id) for m in joining]
        if not any(_shares_system(m, cooperation, system_id) for m in joining):
            continue
        if model.step_basis is StepBasis.TOTAL:
            need = sum(today.values()) + sum(added)
        else:
            need = max([*today.values(), *added], default=0)
        most = model.steps[-1].up_to
        if need <= most:
            continue
        if len(joining) == 1:
            text = message(
                "the largest capacity step of {system} ({name}) serves {most} users, fewer "
                'than the members and candidate "{candidate}" need ({need}): the what-ifs '
                "with it ({whatifs}) cannot price it; add a larger step",
                system=system_id,
                name=system.name,
                most=most,
                candidate=joining[0].id,
                need=need,
                whatifs=_listed(blocks),
            )
        else:
            text = message(
                "the largest capacity step of {system} ({name}) serves {most} users, fewer "
                "than the members and candidates {candidates}, joining during the plan, "
                "need ({need}): the plan (and every report) cannot price it; add a larger step",
                system=system_id,
                name=system.name,
                most=most,
                candidates=", ".join(f'"{m.id}"' for m in joining),
                need=need,
            )
        found.append(
            Blocker(
                code="W209",
                candidates=tuple(m.id for m in joining),
                blocks=frozenset(blocks),
                file=COOPERATION_FILE,
                path=("systems", system_id, "cost_model", "steps"),
                message=text,
            )
        )
    return found


def _shapley(cooperation: Cooperation, stepped: list[_Stepped], member: Member) -> list[Blocker]:
    """W210: capacity steps by total users shared by too many for an exact Shapley value."""
    found = []
    for system_id, today in stepped:
        system = cooperation.systems[system_id]
        assert system.cost_model is not None
        if system.cost_model.step_basis is not StepBasis.TOTAL:
            continue
        sharing = len(today) + _shares_system(member, cooperation, system_id)
        if sharing <= MAX_SUBSET_PLAYERS:
            continue
        found.append(
            Blocker(
                code="W210",
                candidates=(member.id,),
                blocks=frozenset({WhatIf.KEYS}),
                file=COOPERATION_FILE,
                path=("systems", system_id, "cost_model", "step_basis"),
                message=message(
                    "capacity steps of {system} ({name}) by total users shared by {members} "
                    'members with candidate "{candidate}": the Shapley value is exact for at '
                    "most {most}, so keys --candidate {candidate} cannot price it; "
                    'step_basis = "largest" has a closed form',
                    system=system_id,
                    name=system.name,
                    members=sharing,
                    candidate=member.id,
                    most=MAX_SUBSET_PLAYERS,
                ),
            )
        )
    return found


def _transfers(
    cooperation: Cooperation, member: Member, blocks: Collection[WhatIf]
) -> list[Blocker]:
    """W211: what a candidate moves over, booked to a system not in the catalogue."""
    places = [("staff", index, item.system) for index, item in enumerate(member.transfer.staff)]
    places += [
        ("contracts", index, item.system) for index, item in enumerate(member.transfer.contracts)
    ]
    return [
        Blocker(
            code="W211",
            candidates=(member.id,),
            blocks=frozenset(blocks),
            file=member_file(member.id),
            path=("transfer", table, index, "system"),
            message=message(
                '{system} is not a catalogue system: what candidate "{candidate}" moves over '
                "is booked to one, so the what-ifs with it ({whatifs}) cannot price it; name "
                "a project of the catalogue",
                system=system_id,
                candidate=member.id,
                whatifs=_listed(blocks),
            ),
        )
        for table, index, system_id in places
        if system_id not in cooperation.systems
    ]


def refuse(
    cooperation: Cooperation,
    what: WhatIf,
    candidate: str | None = None,
    *,
    year: int | None = None,
    years: Collection[int] | None = None,
    plan_years: range | None = None,
) -> None:
    """Stop the what-if ``what`` (with ``candidate``) if something blocks it.

    Raises :class:`~dikt.errors.WhatIfError` with the blockers as ``check``
    reports them. ``year`` is the implementation year, when the caller gives
    one; ``years`` and ``plan_years`` are the years the what-if prices.
    """
    found = [
        blocker
        for blocker in blockers(cooperation, candidate, years=years, plan_years=plan_years)
        if (what in blocker.blocks or (what is WhatIf.REPORT and WhatIf.PLAN in blocker.blocks))
        and not (blocker.unless_year and year is not None)
    ]
    if candidate is not None and what is WhatIf.REPORT and plan_years is not None:
        found += [
            b
            for b in blockers(cooperation, years=years, plan_years=plan_years)
            if WhatIf.PLAN in b.blocks and candidate not in b.candidates and b not in found
        ]
    if not found:
        return
    problems = _located(cooperation, [b.problem() for b in found])
    summary: Message
    if candidate is None:
        summary = message_n(
            "the plan cannot be priced; `dikt check` warns why ({n} warning):",
            "the plan cannot be priced; `dikt check` warns why ({n} warnings):",
            len(found),
        )
    else:
        summary = message_n(
            '`dikt {what}` cannot be priced for candidate "{candidate}"; `dikt check` warns '
            "why ({n} warning):",
            '`dikt {what}` cannot be priced for candidate "{candidate}"; `dikt check` warns '
            "why ({n} warnings):",
            len(found),
            what=what.value,
            candidate=candidate,
        )
    raise WhatIfError(summary, problems)


def refuse_set_aside(cooperation: Cooperation, candidate: str) -> None:
    """Stop anything asked of ``candidate`` if it is set aside: its file has errors (W213).

    Raises :class:`~dikt.errors.WhatIfError` with the errors as ``check``
    warns about them; does nothing for any other id.
    """
    entry = set_aside_as(cooperation, candidate)
    if entry is None:
        return
    found = _warnings(cooperation, [entry])
    raise WhatIfError(
        message_n(
            'candidate "{candidate}" has an error in its file, so dikt leaves it out; '
            "`dikt check` warns about it ({n} warning):",
            'candidate "{candidate}" has errors in its file, so dikt leaves it out; '
            "`dikt check` warns about them ({n} warnings):",
            len(found),
            candidate=candidate,
        ),
        found,
    )


def _located(cooperation: Cooperation, problems: list[Problem]) -> list[Problem]:
    """``problems`` with their lines, in the order a reader goes through the spec."""
    if not cooperation.sources:
        return problems
    from dikt._positions import in_order, locate  # noqa: PLC0415 - only when refused

    return in_order(locate(problems, cooperation.sources))


def set_aside_named(cooperation: Cooperation) -> Message:
    """The set-aside candidates' ids, quoted, as a sentence names them: ``"a" and "b"``."""
    return all_of(sorted(cooperation.set_aside))


def set_aside_warnings(cooperation: Cooperation) -> list[Problem]:
    """The W213 warnings of every set-aside candidate, as :func:`dikt.check` gives them."""
    return _warnings(cooperation, cooperation.set_aside.values())


def _warnings(cooperation: Cooperation, entries: Iterable[SetAside]) -> list[Problem]:
    """The W213 warnings of ``entries``, located, in the order a reader goes through the spec."""
    plan = horizon(cooperation)
    return _located(
        cooperation,
        [b.problem() for entry in entries for b in _set_aside_blockers(cooperation, entry, plan)],
    )
