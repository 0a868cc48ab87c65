"""The checks of one member's own file, alone: what :func:`dikt.check` says about it.

They need nothing of the other members' files, so that a candidate's file
can be judged on its own: where it has errors, the candidate is set aside
(:func:`dikt.whatif.set_aside`) and stops only the what-ifs with it.
"""

from __future__ import annotations

import difflib
import re
from typing import Final

from dikt._layout import member_file
from dikt.errors import Problem, Severity, format_path
from dikt.i18n import N_, Message, message
from dikt.model import Category, Cooperation, Member, OwnSystem, Usage
from dikt.rules import find_cycles, own_dependencies

__all__ = ["Findings", "member_file_problems"]

_MUNICIPALITY_NUMBER = re.compile(r"[0-9]{4}")
#: What an unknown reference is reported as, by what it refers to.
_UNKNOWN: Final = {
    "system": ("E101", N_('unknown system "{id}"')),
    "domain": ("E102", N_('unknown domain "{id}"')),
    "member": ("E104", N_('unknown member "{id}"')),
}


class Findings:
    """The findings of checks, collected: each with its file, key path, code and message."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def unknown(self, file: str, path: list[str | int], what: str, ident: str) -> None:
        """A reference to something the spec does not have (E101, E102, E104)."""
        code, template = _UNKNOWN[what]
        self.add(file, path, code, message(template, id=ident))

    def add(self, file: str, path: list[str | int], code: str, text: str) -> None:
        """A finding: an error for an ``E`` code, a warning for a ``W`` code."""
        severity = Severity.ERROR if code.startswith("E") else Severity.WARNING
        self.items.append(
            Problem(file=file, path=format_path(path), code=code, message=text, severity=severity)
        )


def member_file_problems(cooperation: Cooperation, member: Member) -> list[Problem]:
    """Every finding :func:`dikt.check` has about ``member``'s own file, errors and warnings."""
    findings = Findings()
    check_member_file(cooperation, member, findings)
    return findings.items


def check_member_file(cooperation: Cooperation, member: Member, findings: Findings) -> None:
    """Add to ``findings`` what is wrong in ``member``'s own file (E101, E102, E105, E109, E181,
    E183, E184, W201, W203, W205, W230, W231, W232)."""
    _check_member_file(cooperation, member, findings)
    _check_own_cycles(member, findings)
    _check_obligations(cooperation, member, findings)
    if member.leaving is not None and not member.is_member:
        findings.add(
            member_file(member.id),
            ["leaving"],
            "E181",
            message("a candidate cannot leave; remove `leaving` or make it a member"),
        )


def _check_obligations(cooperation: Cooperation, member: Member, findings: Findings) -> None:
    """The parts of investments the file states a leaving member bears (E183, E184)."""
    if not member.obligations:
        return
    file = member_file(member.id)
    leaving = member.leaving
    if leaving is None or not member.is_member:
        findings.add(
            file,
            ["obligations"],
            "E183",
            message(
                "obligations are the parts of investments a member that leaves bears: give "
                "{name} a leaving date, or remove them",
                name=member.name,
            ),
        )
        return
    investments = {i.id: i for i in cooperation.investments}
    # The table is the whole agreement: an investment it leaves out is the others'
    # alone, which a forgotten line would make them pay without a word.
    left_out = sorted(
        i.id
        for i in investments.values()
        if i.category is not Category.MEMBER
        and i.year >= leaving.year
        and i.id not in member.obligations
    )
    if left_out:
        findings.add(
            file,
            ["obligations"],
            "W232",
            message(
                "{name} bears no part of {ids}, which its obligations leave out: the other "
                "members pay them whole",
                name=member.name,
                ids=", ".join(left_out),
            ),
        )
    for item in sorted(member.obligations):
        investment = investments.get(item)
        if investment is None:
            close = difflib.get_close_matches(item, sorted(investments), n=1)
            findings.add(
                file,
                ["obligations", item],
                "E184",
                message(
                    'unknown investment "{id}"; did you mean "{close}"?', id=item, close=close[0]
                )
                if close
                else message('unknown investment "{id}"', id=item),
            )
        elif investment.category is Category.MEMBER:
            findings.add(
                file,
                ["obligations", item],
                "E184",
                message(
                    "{id} is a member investment, its member's alone: it has no part to agree",
                    id=item,
                ),
            )
        elif investment.year < leaving.year:
            findings.add(
                file,
                ["obligations", item],
                "E184",
                message(
                    "{id} is of {year}, before {name} leaves ({leaving}): it pays it in full "
                    "in its contribution of {year}",
                    id=item,
                    year=investment.year,
                    name=member.name,
                    leaving=leaving,
                ),
            )
        elif member.obligations[item] > investment.amount:
            findings.add(
                file,
                ["obligations", item],
                "E184",
                message(
                    "a part of {part} is more than the investment {id} ({amount})",
                    part=member.obligations[item],
                    id=item,
                    amount=investment.amount,
                ),
            )


def _check_member_file(cooperation: Cooperation, member: Member, findings: Findings) -> None:
    file = member_file(member.id)
    year = cooperation.budget_year
    if member.is_member and member.joined is not None and member.joined.year > year:
        # Allowed (a member that has signed and joins later), but a surprise on a bill.
        findings.add(
            file,
            ["joined"],
            "W230",
            message(
                "{name} joins on {joined}, after the budget year {year}: it pays nothing "
                "before {first}",
                name=member.name,
                joined=member.joined.isoformat(),
                year=year,
                first=member.joined.year,
            ),
        )
    leaving = member.leaving
    if (
        member.is_member
        and leaving is not None
        and (leaving.month, leaving.day) != (1, 1)
        and (member.joined is None or leaving > member.joined)  # else E181 says it
    ):
        # A member leaves from the start of its leaving year: 2013-12-31, the last
        # day of a membership, would make it pay nothing in 2013.
        findings.add(
            file,
            ["leaving"],
            "W231",
            message(
                "{name} leaves on {leaving}, read as from 1 January {year}: it pays no "
                "contribution in {year}; if it is a member until the end of {year}, write "
                "{next}-01-01",
                name=member.name,
                leaving=leaving,
                year=leaving.year,
                next=leaving.year + 1,
            ),
        )
    if not _MUNICIPALITY_NUMBER.fullmatch(member.municipality_number):
        findings.add(
            file,
            ["municipality_number"],
            "E109",
            message(
                '"{number}" is not a municipality number (4 digits, such as "0602")',
                number=member.municipality_number,
            ),
        )
    board = member.representatives.board is None
    committee = member.representatives.working_committee is None
    if board or committee:
        if board and committee:
            template = N_("{name} has no board and no working committee representative")
        elif board:
            template = N_("{name} has no board representative")
        else:
            template = N_("{name} has no working committee representative")
        findings.add(file, ["representatives"], "W203", message(template, name=member.name))
    for system_id, usage in member.systems.items():
        path: list[str | int] = ["systems", system_id]
        if system_id not in cooperation.systems:
            findings.unknown(file, path, "system", system_id)
            continue
        if usage.users > 0 and (usage.owner is None or usage.manager is None):
            name = cooperation.systems[system_id].name
            findings.add(file, path, "W201", _without_roles(system_id, name, usage))
    for own_id, own in member.own_systems.items():
        path = ["own_systems", own_id]
        if own.domain not in cooperation.domains:
            findings.unknown(file, [*path, "domain"], "domain", own.domain)
        for index, dependency in enumerate(own.depends_on):
            if dependency not in cooperation.systems and dependency not in member.own_systems:
                findings.unknown(file, [*path, "depends_on", index], "system", dependency)
        if own_id in cooperation.systems:
            findings.add(
                file,
                path,
                "W205",
                message(
                    '"{id}" is also a catalogue system\'s id; its lines will be hard to tell apart',
                    id=own_id,
                ),
            )
        if own.users > 0 and (own.owner is None or own.manager is None):
            findings.add(file, path, "W201", _without_roles(own_id, own.name, own))


def _without_roles(system: str, name: str, usage: Usage | OwnSystem) -> Message:
    """W201's message: a system in use without system owner, manager or both."""
    if usage.owner is None and usage.manager is None:
        template = N_("{system} ({name}) is in use without system owner and manager")
    elif usage.owner is None:
        template = N_("{system} ({name}) is in use without system owner")
    else:
        template = N_("{system} ({name}) is in use without system manager")
    return message(template, system=system, name=name)


def _check_own_cycles(member: Member, findings: Findings) -> None:
    for cycle in find_cycles(own_dependencies(member)):
        findings.add(
            member_file(member.id),
            ["own_systems", cycle[0], "depends_on"],
            "E105",
            message("dependency cycle: {cycle}", cycle=" -> ".join([*cycle, cycle[0]])),
        )
