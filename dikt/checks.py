"""Semantic checks of a loaded cooperation: what types alone cannot say.

:func:`check` returns every finding as a :class:`~dikt.errors.Problem` with a
stable code: ``E...`` for errors (analyses would be wrong or impossible),
``W...`` for warnings (worth a look). The codes and their meaning are listed
in :data:`CODES` and in docs/.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Final

from dikt._layout import COOPERATION_FILE, member_file
from dikt._memberfile import Findings, check_member_file
from dikt._positions import in_order, locate
from dikt.errors import CODES as ALL_CODES, ComputeError, Problem, format_path
from dikt.i18n import N_, Message, message
from dikt.limits import MAX_SUBSET_PLAYERS
from dikt.model import (
    METRICS,
    Category,
    Cooperation,
    Investment,
    Member,
    Package,
    StepBasis,
)
from dikt.money import Money, fraction_text
from dikt.rules import (
    basis,
    dependency_cycles,
    derived,
    fixed_part,
    horizon,
    no_members,
    participants,
    pays_in,
    uncovered_shares,
)
from dikt.whatif import blockers, set_aside, set_aside_as

__all__ = ["CODES", "check"]

#: The codes of :func:`check`'s findings (``E1..`` errors, ``W2..`` warnings)
#: and what they mean; all codes, load problems' included, are in
#: :data:`dikt.errors.CODES`.
CODES: Final[Mapping[str, str]] = MappingProxyType(
    {code: text for code, text in ALL_CODES.items() if code[1] != "0"}
)

_CURRENCY = re.compile(r"[A-Z]{3}")


def check(cooperation: Cooperation) -> tuple[Problem, ...]:
    """Every semantic problem of a loaded cooperation, errors and warnings.

    Sorted by file, line and column (as a reader goes through the spec), and
    at one place in the order the rules are listed in :data:`CODES`.
    An empty result means the spec is sound.
    """
    # A candidate whose file has errors is left out of what follows, and warned about
    # (W213) with what it stops; loading has set it aside already.
    cooperation = set_aside(cooperation)
    findings = Findings()
    _check_cooperation(cooperation, findings)
    _check_keys(cooperation, findings)
    _check_systems(cooperation, findings)
    _check_investments(cooperation, findings)
    for member in cooperation.members.values():
        check_member_file(cooperation, member, findings)
    _check_use(cooperation, findings)
    _check_candidates(cooperation, findings)
    _check_transfers(cooperation, findings)
    _check_changes(cooperation, findings)
    _check_leaving_shares(cooperation, findings)
    _check_leavers_parts(cooperation, findings)
    _check_joining_shares(cooperation, findings)
    items = sorted(findings.items, key=lambda p: (p.file != COOPERATION_FILE, p.file))
    if items and cooperation.sources:
        # Only a spec with findings pays for finding their lines.
        items = in_order(locate(items, cooperation.sources))
    return tuple(items)


def _known(cooperation: Cooperation, member_id: str) -> bool:
    """Whether ``member_id`` is a member's or a candidate's, set aside or not."""
    return member_id in cooperation.members or _aside(cooperation, member_id)


def _aside(cooperation: Cooperation, member_id: str) -> bool:
    """Whether ``member_id`` names a candidate set aside (W213), by its file's name or its id."""
    return set_aside_as(cooperation, member_id) is not None


def _check_cooperation(cooperation: Cooperation, findings: Findings) -> None:
    if not _CURRENCY.fullmatch(cooperation.currency):
        findings.add(
            COOPERATION_FILE,
            ["currency"],
            "E113",
            message(
                '"{currency}" is not an ISO 4217 code (three capital letters, such as "NOK")',
                currency=cooperation.currency,
            ),
        )
    if not cooperation.active_members:
        findings.add(
            COOPERATION_FILE,
            [],
            "E114",
            message(
                'the cooperation has no members: add a file with status = "member" under members/'
            ),
        )
    else:
        active = derived(cooperation).active
        for year in horizon(cooperation):
            if any(pays_in(m, year) for m in active):
                continue
            # Allocate and the plan would refuse the year (E190): said once, as they say it.
            findings.add(COOPERATION_FILE, ["budget_year"], "E190", no_members(cooperation, year))
            break
    for name in ("base_key", "application_key", "core_investment_key"):
        _check_key_reference(
            cooperation, getattr(cooperation.defaults, name), ["defaults", name], findings
        )


def _check_key_reference(
    cooperation: Cooperation, name: str, path: list[str | int], findings: Findings
) -> None:
    if cooperation.key(name) is None:
        known = sorted(METRICS | set(cooperation.keys))
        findings.add(
            COOPERATION_FILE,
            path,
            "E103",
            message('unknown key "{key}" (known keys: {known})', key=name, known=", ".join(known)),
        )


def _check_keys(cooperation: Cooperation, findings: Findings) -> None:
    for key_id, key in cooperation.keys.items():
        path: list[str | int] = ["keys", key_id]
        if key_id in METRICS:
            findings.add(
                COOPERATION_FILE,
                path,
                "E111",
                message(
                    '"{key}" is a built-in key (a split by that metric); name this key otherwise',
                    key=key_id,
                ),
            )
        if key.shares is not None:
            if key.metric is not None or key.equal_share:
                findings.add(
                    COOPERATION_FILE,
                    path,
                    "E111",
                    message("a key has either fixed shares, or metric and equal_share; not both"),
                )
            _check_share_table(cooperation, [*path, "shares"], key.shares, findings)
        elif key.metric is None and key.equal_share != 1:
            findings.add(
                COOPERATION_FILE,
                path,
                "E111",
                message("a key needs a metric (or equal_share = 1, or fixed shares)"),
            )
        _check_shares_after(cooperation, key_id, findings)


def _check_systems(cooperation: Cooperation, findings: Findings) -> None:
    for system_id, system in cooperation.systems.items():
        path: list[str | int] = ["systems", system_id]
        if system.domain not in cooperation.domains:
            findings.unknown(COOPERATION_FILE, [*path, "domain"], "domain", system.domain)
        if system.key is not None:
            _check_key_reference(cooperation, system.key, [*path, "key"], findings)
        for index, dependency in enumerate(system.depends_on):
            if dependency not in cooperation.systems:
                findings.unknown(
                    COOPERATION_FILE, [*path, "depends_on", index], "system", dependency
                )
        if system.introduced and system.retired and system.retired <= system.introduced:
            findings.add(
                COOPERATION_FILE,
                [*path, "retired"],
                "E116",
                message(
                    "{system} is retired ({retired}) on or before the day it is introduced "
                    "({introduced})",
                    system=system_id,
                    retired=system.retired,
                    introduced=system.introduced,
                ),
            )
        if system.critical and (system.coordinator is None or system.operations is None):
            if system.coordinator is None and system.operations is None:
                template = N_("critical system {system} ({name}) has no coordinator and operations")
            elif system.coordinator is None:
                template = N_("critical system {system} ({name}) has no coordinator")
            else:
                template = N_("critical system {system} ({name}) has no operations")
            findings.add(
                COOPERATION_FILE,
                path,
                "W202",
                message(template, system=system_id, name=system.name),
            )
        _check_payable(cooperation, system_id, findings)
        if system.cost_model is not None:
            _check_cost_model(cooperation, system_id, findings)
    for cycle in dependency_cycles(cooperation):
        findings.add(
            COOPERATION_FILE,
            ["systems", cycle[0], "depends_on"],
            "E105",
            message("dependency cycle: {cycle}", cycle=" -> ".join([*cycle, cycle[0]])),
        )


def _check_cost_model(cooperation: Cooperation, system_id: str, findings: Findings) -> None:
    """E118: the steps rise, serve the members, and the parts add up to the annual cost."""
    system = cooperation.systems[system_id]
    model = system.cost_model
    assert model is not None
    path: list[str | int] = ["systems", system_id, "cost_model"]
    for index, (before, step) in enumerate(itertools.pairwise(model.steps), start=1):
        if step.up_to <= before.up_to or step.cost < before.cost:
            findings.add(
                COOPERATION_FILE,
                [*path, "steps", index],
                "E118",
                message(
                    "capacity steps must rise: up_to above {up_to} and cost at least {cost}",
                    up_to=before.up_to,
                    cost=before.cost,
                ),
            )
            return
    sharing = len(participants(cooperation, system_id))
    if model.steps and model.step_basis is StepBasis.TOTAL and sharing > MAX_SUBSET_PLAYERS:
        # Said before anything runs: `dikt keys` shows the other keys, not this one.
        findings.add(
            COOPERATION_FILE,
            [*path, "step_basis"],
            "W212",
            message(
                "capacity steps by total users shared by {members} members: `dikt keys` "
                "computes the Shapley value exactly for at most {most} and shows the other "
                'keys without it (step_basis = "largest" has a closed form)',
                members=sharing,
                most=MAX_SUBSET_PLAYERS,
            ),
        )
    rest = fixed_part(cooperation, system_id)
    if rest is None:
        findings.add(
            COOPERATION_FILE,
            [*path, "steps"],
            "E118",
            message(
                "the largest capacity step serves {most} users, fewer than the members need",
                most=model.steps[-1].up_to,
            ),
        )
    elif rest < 0:
        findings.add(
            COOPERATION_FILE,
            path,
            "E118",
            message(
                "the cost model's per-user and capacity parts come to {parts}, more than "
                "the annual cost {cost}",
                parts=Money(system.annual_cost.ore - rest),
                cost=system.annual_cost,
            ),
        )
    elif model.fixed is not None and model.fixed.ore != rest:
        findings.add(
            COOPERATION_FILE,
            [*path, "fixed"],
            "E118",
            message(
                "fixed is {fixed}, but the other parts leave {rest} of the annual cost",
                fixed=model.fixed,
                rest=Money(rest),
            ),
        )


def _check_payable(cooperation: Cooperation, system_id: str, findings: Findings) -> None:
    """A cost needs someone to pay it: participants, and a basis above 0.

    A key's fixed shares must fit the participants even at no cost: the key
    is wrong, whatever it splits.
    """
    system = cooperation.systems[system_id]
    path: list[str | int] = ["systems", system_id, "annual_cost"]
    payers = participants(cooperation, system_id)
    # A system costs something if it is in operation in some year of the plan's
    # horizon (the budget year and the three after it): allocate and plan
    # must be able to split it in each.
    costs = bool(system.annual_cost) and any(
        system.active_in(year) for year in horizon(cooperation)
    )
    if not payers:
        if system.package is Package.APPLICATION and costs:
            findings.add(
                COOPERATION_FILE,
                path,
                "E108",
                message(
                    "application {system} ({name}) has an annual cost but no member uses it "
                    "(users > 0): nobody to pay",
                    system=system_id,
                    name=system.name,
                ),
            )
        return
    _check_split(
        cooperation,
        key_name=cooperation.key_of(system),
        payers=payers,
        system_id=system_id,
        path=path,
        findings=findings,
        costs=costs,
    )


def _check_split(
    cooperation: Cooperation,
    *,
    costs: bool = True,
    key_name: str,
    payers: tuple[Member, ...],
    system_id: str | None,
    path: list[str | int],
    findings: Findings,
) -> None:
    """The key can split an amount among ``payers``: shares cover them, basis > 0."""
    key = cooperation.key(key_name)
    if key is None:
        return  # E103, reported where the key is named
    what = f"{system_id}" if system_id is not None else format_path(path[:-1])
    lacking, extra = uncovered_shares(key, (m.id for m in payers))
    if lacking or extra:
        details = [
            *([message("no share for {ids}", ids=", ".join(lacking))] if lacking else []),
            *(
                [message("a share for non-participants {ids}", ids=", ".join(extra))]
                if extra
                else []
            ),
        ]
        findings.add(
            COOPERATION_FILE,
            path,
            "E106",
            message(
                'key "{key}" does not cover exactly the participants of {what}: {details}',
                key=key.id,
                what=what,
                details=details[0]
                if len(details) == 1
                else message("{first}; {second}", first=details[0], second=details[1]),
            ),
        )
    if costs and basis(cooperation, key, payers, system_id) == 0:
        assert key.metric is not None  # a key with a basis has a metric
        findings.add(
            COOPERATION_FILE,
            path,
            "E108",
            message(
                '{what} cannot be split by key "{key}": the participants\' total of '
                '"{metric}" is 0',
                what=what,
                key=key.id,
                metric=key.metric.value,
            ),
        )


def _check_investments(cooperation: Cooperation, findings: Findings) -> None:
    seen: set[str] = set()
    for index, investment in enumerate(cooperation.investments):
        path: list[str | int] = ["investments", index]
        if investment.id in seen:
            findings.add(
                COOPERATION_FILE,
                [*path, "id"],
                "E112",
                message('duplicate investment id "{id}"', id=investment.id),
            )
        seen.add(investment.id)
        category = investment.category
        wanted = {
            "system": category is Category.APPLICATION,
            "member": category is Category.MEMBER,
        }
        for name, required in wanted.items():
            value = getattr(investment, name)
            if required and value is None:
                findings.add(
                    COOPERATION_FILE,
                    path,
                    "E110",
                    message(
                        'a "{category}" investment needs "{key}"', category=category.value, key=name
                    ),
                )
            elif not required and value is not None:
                findings.add(
                    COOPERATION_FILE,
                    [*path, name],
                    "E110",
                    message(
                        N_('only an application investment has "system"; this one is "{category}"')
                        if name == "system"
                        else N_('only a member investment has "member"; this one is "{category}"'),
                        category=category.value,
                    ),
                )
        if investment.key is not None and category is not Category.CORE:
            findings.add(
                COOPERATION_FILE,
                [*path, "key"],
                "E110",
                message(
                    'only a core investment has its own "key"; this one is "{category}"',
                    category=category.value,
                ),
            )
        if investment.system is not None and investment.system not in cooperation.systems:
            findings.unknown(COOPERATION_FILE, [*path, "system"], "system", investment.system)
        if investment.member is not None and not _known(cooperation, investment.member):
            findings.unknown(COOPERATION_FILE, [*path, "member"], "member", investment.member)
        if investment.key is not None:
            _check_key_reference(cooperation, investment.key, [*path, "key"], findings)
        payer = cooperation.members.get(investment.member or "")
        if payer is not None and payer.is_member and not pays_in(payer, investment.year):
            findings.add(
                COOPERATION_FILE,
                [*path, "member"],
                "E191",
                message(
                    '"{member}" joined on {date}, after this investment of {year}: it would be '
                    "paid by nobody",
                    member=payer.id,
                    date=payer.joined.isoformat(),
                    year=investment.year,
                )
                if payer.joined is not None and investment.year < payer.joined.year
                else message(
                    '"{member}" leaves from {date}, before this investment of {year}: it would '
                    "be paid by nobody",
                    member=payer.id,
                    date=payer.leaving.isoformat() if payer.leaving else "",
                    year=investment.year,
                ),
            )
        if (payer is not None and not payer.is_member) or (
            investment.member is not None and _aside(cooperation, investment.member)
        ):
            findings.add(
                COOPERATION_FILE,
                [*path, "member"],
                "E115",
                message(
                    '"{member}" is a candidate: it pays nothing in {year}, so this investment '
                    "would be paid by nobody",
                    member=investment.member,
                    year=investment.year,
                ),
            )
        target = cooperation.systems.get(investment.system or "")
        if category is Category.APPLICATION and target is not None and investment.amount:
            payers = participants(cooperation, target.id)
            if not payers:
                findings.add(
                    COOPERATION_FILE,
                    [*path, "amount"],
                    "E108",
                    message(
                        "application investment {id} in {system} ({name}) has nobody to pay it: "
                        "no member uses the system (users > 0)",
                        id=investment.id,
                        system=target.id,
                        name=target.name,
                    ),
                )
            else:
                _check_split(
                    cooperation,
                    key_name=cooperation.key_of(target),
                    payers=payers,
                    system_id=target.id,
                    path=[*path, "amount"],
                    findings=findings,
                )
        if category is Category.CORE and cooperation.active_members and investment.amount:
            key_name = investment.key or cooperation.defaults.core_investment_key
            _check_split(
                cooperation,
                key_name=key_name,
                payers=cooperation.active_members,
                system_id=None,
                path=[*path, "amount"],
                findings=findings,
            )


def _check_use(cooperation: Cooperation, findings: Findings) -> None:
    used = set(derived(cooperation).users)  # the members'; the candidates' below
    used.update(
        system_id
        for member in cooperation.members.values()
        if not member.is_member
        for system_id, usage in member.systems.items()
        if usage.users > 0
    )
    for system_id, system in cooperation.systems.items():
        if system.package is Package.APPLICATION and system_id not in used:
            findings.add(
                COOPERATION_FILE,
                ["systems", system_id],
                "W204",
                message("nobody uses {system} ({name})", system=system_id, name=system.name),
            )


def _check_candidates(cooperation: Cooperation, findings: Findings) -> None:
    """A joined date in the past (W206); what stops a candidate's what-ifs (W207-W211, W213).

    A candidate's file never stops the members' own analyses: what it
    breaks stops only the what-ifs with it (:mod:`dikt.whatif`, whose
    findings these are), and is a warning that names them.
    """
    for member in cooperation.members.values():
        if member.is_member:
            continue
        if member.joined is not None and member.joined.year <= cooperation.budget_year:
            findings.add(
                member_file(member.id),
                ["joined"],
                "W206",
                message(
                    "{name} is a candidate, but its joined date ({joined}) is in or before the "
                    "budget year {year}: `allocate` and the plan bill it nothing, in that year "
                    'or later; if it has joined, set status = "member"; if not, move '
                    "`joined` to the date it will join",
                    name=member.name,
                    joined=member.joined,
                    year=cooperation.budget_year,
                ),
            )
    findings.items.extend(blocker.problem() for blocker in blockers(cooperation))


def _check_transfers(cooperation: Cooperation, findings: Findings) -> None:
    """E170: what a member moved over is booked to a catalogue system; W225: no fleet survey.

    The plan shows no PC renewal figure for a member without a survey when
    other members have one (unknown is not zero; a candidate's survey is for
    its joining), and says so once per member here.
    """
    surveyed = any(member.fleet for member in cooperation.active_members)
    for member_id, member in sorted(cooperation.members.items()):
        if not member.is_member:
            continue  # a candidate's stops only the what-ifs with it: W211
        places = [
            ("staff", index, item.system) for index, item in enumerate(member.transfer.staff)
        ] + [
            ("contracts", index, item.system)
            for index, item in enumerate(member.transfer.contracts)
        ]
        for table_name, index, system_id in places:
            if system_id not in cooperation.systems:
                findings.add(
                    member_file(member_id),
                    ["transfer", table_name, index, "system"],
                    "E170",
                    message(
                        "{system} is not a catalogue system: what moves over is booked to one",
                        system=system_id,
                    ),
                )
        if surveyed and member.is_member and not member.fleet:
            findings.add(
                member_file(member_id),
                [],
                "W225",
                message(
                    "{name} has no fleet survey ([[fleet]]): the plan shows no PC renewal "
                    "figure for it",
                    name=member.name,
                ),
            )


def _check_share_table(
    cooperation: Cooperation,
    path: list[str | int],
    shares: Mapping[str, Fraction],
    findings: Findings,
    also: str | None = None,
) -> None:
    """E104, E107: a table of fixed shares names members (or ``also``) and sums to 1."""
    for member_id in shares:
        if not _known(cooperation, member_id) and member_id != also:
            findings.unknown(COOPERATION_FILE, [*path, member_id], "member", member_id)
    total = sum(shares.values(), Fraction(0))
    if total != 1:
        findings.add(
            COOPERATION_FILE,
            path,
            "E107",
            message("the shares sum to {total}, not 1", total=fraction_text(total)),
        )


def _check_shares_after(cooperation: Cooperation, key_id: str, findings: Findings) -> None:
    """The shares once a member leaves, members merge or a candidate joins: known members,
    summing to 1; after a candidate joins, exactly the key's members and it (E119)."""
    key = cooperation.keys[key_id]
    for table in ("shares_without", "shares_merged", "shares_with"):
        for change, shares in getattr(key, table).items():
            path: list[str | int] = ["keys", key_id, table, change]
            if key.shares is None:
                findings.add(
                    COOPERATION_FILE,
                    path,
                    "E111",
                    message(
                        "{table} gives a key's fixed shares after a change: add `shares`",
                        table=table,
                    ),
                )
            if table == "shares_without":
                leaving = cooperation.members.get(change)
                if leaving is None and not _aside(cooperation, change):
                    findings.unknown(COOPERATION_FILE, path, "member", change)
                elif leaving is None or not leaving.is_member:
                    findings.add(
                        COOPERATION_FILE,
                        path,
                        "E182",
                        message(
                            '"{member}" is a candidate: only a member can leave', member=change
                        ),
                    )
                elif change in shares:
                    findings.add(
                        COOPERATION_FILE,
                        [*path, change],
                        "E182",
                        message('"{member}" has left: it has no share after', member=change),
                    )
            if table == "shares_with":
                _check_shares_with(cooperation, key_id, change, shares, findings)
            # The merged member's id may be new; the leaving member's is E182 above.
            _check_share_table(cooperation, path, shares, findings, also=change)


def _check_leaving_shares(cooperation: Cooperation, findings: Findings) -> None:
    """E192: a member leaving in the plan's years that a fixed-share key has a share for.

    From its leaving year allocate and the plan split the key by its shares
    after the member leaves, which only the spec can state.
    """
    years = horizon(cooperation)
    for member in derived(cooperation).active:
        if member.leaving is None or member.leaving.year > years[-1]:
            continue
        for key_id, key in sorted(cooperation.keys.items()):
            if key.shares is None or member.id not in key.shares:
                continue
            if member.id not in key.shares_without:
                findings.add(
                    COOPERATION_FILE,
                    ["keys", key_id, "shares"],
                    "E192",
                    message(
                        'key "{key}" has a fixed share for {member}, which leaves from {year}: '
                        "state the shares after in [keys.{key}.shares_without.{member}]",
                        key=key_id,
                        member=member.id,
                        year=member.leaving.year,
                    ),
                )


def _check_leavers_parts(cooperation: Cooperation, findings: Findings) -> None:
    """E185: the parts of members that have left come to more than their investment.

    Each part may fit (E184 says when one does not), and still, with the
    parts agreed in a file and those the key gives the other leavers, the
    members that stay would have a negative rest to split. Only parts agreed
    in a file can do it: the key's parts are shares of the one investment.
    """
    agreed = [m for m in derived(cooperation).active if m.leaving is not None and m.obligations]
    if not agreed:
        return
    from dikt.allocation import leaving_parts  # noqa: PLC0415 - only a spec with agreed parts

    by_year: dict[int, list[Investment]] = {}
    for investment in cooperation.investments:
        if any(investment.id in m.obligations for m in agreed):
            by_year.setdefault(investment.year, []).append(investment)
    for year, investments in sorted(by_year.items()):
        try:
            parts = leaving_parts(cooperation, year)
        except ComputeError:
            continue  # a split that cannot be made: the other checks name why
        for investment in investments:
            mine = parts.get(investment.id, {})
            total = Money.sum(mine.values())
            if len(mine) < 2 or total <= investment.amount:
                continue  # one part: E184 compares it with the investment
            ours = {m.id for m in agreed if investment.id in m.obligations}
            as_agreed = _listed(cooperation, mine, sorted(ours & mine.keys()))
            by_key = _listed(cooperation, mine, sorted(mine.keys() - ours))
            first = min(ours & mine.keys())  # a member bearing a part it agreed
            findings.add(
                member_file(first),
                ["obligations", investment.id],
                "E185",
                message(
                    "the parts of {id} that members who have left bear come to {total}, more "
                    "than the investment ({amount}): {parts}",
                    id=investment.id,
                    total=total,
                    amount=investment.amount,
                    parts=message(
                        "{agreed} as agreed, {keyed} as the key gives them",
                        agreed=as_agreed,
                        keyed=by_key,
                    )
                    if by_key
                    else message("{agreed} as agreed", agreed=as_agreed),
                ),
            )


def _listed(
    cooperation: Cooperation, parts: Mapping[str, Money], members: list[str]
) -> Message | None:
    """``Sande kommune 1500000.00, Svelvik kommune 0.01``, amounts in the reader's language."""
    said = None
    for member in members:
        name = cooperation.members[member].name
        part = message("{name} {amount}", name=name, amount=parts[member])
        said = part if said is None else message("{first}, {second}", first=said, second=part)
    return said


def _check_joining_shares(cooperation: Cooperation, findings: Findings) -> None:
    """E193: a member joining after the budget year, and a key of fixed shares.

    It pays nothing before its joined year, so shares that include it cannot
    cover the budget year's payers, and shares without it cannot cover the
    payers of the plan's year it joins in; the shares before and after it
    joins are what a candidate with ``shares_with`` states.
    """
    year = cooperation.budget_year
    last = horizon(cooperation)[-1]
    for member in derived(cooperation).active:
        if member.joined is None or member.joined.year <= year:
            continue
        for key_id, key in sorted(cooperation.keys.items()):
            # With a share, the budget year's split fails; without one, the
            # split of the plan's year it joins in does.
            if key.shares is None or (member.id not in key.shares and member.joined.year > last):
                continue
            findings.add(
                COOPERATION_FILE,
                ["keys", key_id, "shares"],
                "E193",
                message(
                    'key "{key}" has fixed shares, and {member} joins only in {joined}, '
                    "after the budget year {year}: make it a candidate (status = "
                    '"candidate") and state the shares after it joins in '
                    "[keys.{key}.shares_with.{member}]",
                    key=key_id,
                    member=member.id,
                    joined=member.joined.year,
                    year=year,
                ),
            )


def _check_shares_with(
    cooperation: Cooperation,
    key_id: str,
    candidate: str,
    shares: Mapping[str, Fraction],
    findings: Findings,
) -> None:
    """E119: the shares after ``candidate`` joins name a candidate, and the key's members and it."""
    path: list[str | int] = ["keys", key_id, "shares_with", candidate]
    if _aside(cooperation, candidate):
        return  # nothing with it is priced until its file is fixed (W213)
    joining = cooperation.members.get(candidate)
    if joining is None:
        findings.unknown(COOPERATION_FILE, path, "member", candidate)
        return
    if joining.is_member:
        findings.add(
            COOPERATION_FILE,
            path,
            "E119",
            message(
                '"{member}" is a member: shares_with gives the shares after a candidate joins',
                member=candidate,
            ),
        )
        return
    before = cooperation.keys[key_id].shares
    if before is None:
        return  # E111, reported with the table
    wanted = {*before, candidate}
    lacking = sorted(wanted - set(shares))
    # An id that is nobody's is E104, reported with the table.
    extra = sorted(i for i in set(shares) - wanted if i in cooperation.members)
    if lacking or extra:
        details = [
            *([message("no share for {ids}", ids=", ".join(lacking))] if lacking else []),
            *([message("a share for {ids}", ids=", ".join(extra))] if extra else []),
        ]
        findings.add(
            COOPERATION_FILE,
            path,
            "E119",
            message(
                "the shares after {candidate} joins must name exactly the members of "
                "`shares` and {candidate}: {details}",
                candidate=candidate,
                details=details[0]
                if len(details) == 1
                else message("{first}; {second}", first=details[0], second=details[1]),
            ),
        )


def _check_changes(cooperation: Cooperation, findings: Findings) -> None:
    """E180, E181: the mergers and leaving dates the spec states are well defined."""
    for into, merger in cooperation.mergers.items():
        path: list[str | int] = ["mergers", into]
        if len(merger.members) < 2 or len(set(merger.members)) != len(merger.members):
            findings.add(
                COOPERATION_FILE,
                [*path, "members"],
                "E180",
                message("a merger needs two or more different members"),
            )
        for member_id in merger.members:
            member = cooperation.members.get(member_id)
            if member is None and not _aside(cooperation, member_id):
                findings.unknown(COOPERATION_FILE, [*path, "members"], "member", member_id)
            elif member is None or not member.is_member:
                findings.add(
                    COOPERATION_FILE,
                    [*path, "members"],
                    "E180",
                    message('"{member}" is a candidate: only members merge', member=member_id),
                )
            elif member.joined is not None and merger.date < member.joined:
                findings.add(
                    COOPERATION_FILE,
                    [*path, "date"],
                    "E180",
                    message(
                        "the merger is dated before {member} joined ({joined})",
                        member=member_id,
                        joined=member.joined.isoformat(),
                    ),
                )
        if into not in cooperation.members and not merger.name:
            findings.add(
                COOPERATION_FILE,
                path,
                "E180",
                message(
                    '"{id}" is a new id: give the merged municipality\'s name (name = "...")',
                    id=into,
                ),
            )
        if into in cooperation.members and into not in merger.members:
            findings.add(
                COOPERATION_FILE,
                path,
                "E180",
                message(
                    "\"{id}\" is another member's or a candidate's id: merge into one of the "
                    "merging members or a new id",
                    id=into,
                ),
            )
    for member in cooperation.members.values():
        if member.leaving is None or not member.is_member:
            continue  # a candidate's `leaving` is its own file's error (E181)
        file = member_file(member.id)
        if member.joined is not None and member.leaving <= member.joined:
            findings.add(
                file,
                ["leaving"],
                "E181",
                message(
                    "it leaves ({leaving}) before it joined ({joined})",
                    leaving=member.leaving.isoformat(),
                    joined=member.joined.isoformat(),
                ),
            )
