"""What-if transformations of a cooperation: pure functions, new frozen models.

Harmonisation, joining and the economic plan ask "what if": what if this
candidate were a member, what if that member ran the standard system instead
of its own. Each answer is a new :class:`~dikt.model.Cooperation` that the
allocation engine prices like any spec, so every what-if figure comes from
the same rules as the budget.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from dikt.errors import ComputeError, NotFoundError
from dikt.i18n import message
from dikt.model import Cooperation, Member, MemberStatus, Usage
from dikt.money import Money, round_ore
from dikt.rules import participants

__all__ = ["grown", "harmonise", "in_operation", "promote", "require_member"]


def require_member(cooperation: Cooperation, member_id: str) -> Member:
    """The member or candidate ``member_id``; :class:`NotFoundError` if none.

    A candidate set aside for the errors in its file is refused with them
    (:class:`~dikt.errors.WhatIfError`): nothing can be asked of it until
    they are fixed.
    """
    member = cooperation.members.get(member_id)
    if member is None:
        if cooperation.set_aside:
            from dikt.whatif import refuse_set_aside  # noqa: PLC0415 - whatif needs the rules first

            refuse_set_aside(cooperation, member_id)
        raise NotFoundError(message("member or candidate"), member_id, sorted(cooperation.members))
    return member


def promote(cooperation: Cooperation, candidate_id: str) -> Cooperation:
    """The cooperation with ``candidate_id`` as a member that pays in any year.

    A candidate becomes a member, its planned ``joined`` date set aside; so
    are a member's ``joined`` and ``leaving`` dates, so that it is priced in
    whatever year is asked (a member without dates stays as it is). Its keys
    of fixed shares take their shares after a candidate joins (``shares_with``).
    """
    member = require_member(cooperation, candidate_id)
    if member.is_member and member.joined is None and member.leaving is None:
        return cooperation
    promoted = attrs.evolve(member, status=MemberStatus.MEMBER, joined=None, leaving=None)
    if not member.is_member:
        from dikt.whatif import with_candidates  # noqa: PLC0415 - whatif needs the rules first

        cooperation = with_candidates(cooperation, [candidate_id])
    return attrs.evolve(cooperation, members={**cooperation.members, candidate_id: promoted})


def harmonise(
    cooperation: Cooperation, member_id: str, deviating: str, standard: str
) -> Cooperation:
    """The cooperation with ``member_id`` moved from ``deviating`` to ``standard``.

    ``deviating`` is one of the member's own systems or a catalogue system it
    uses; its users are added to the member's users of the catalogue system
    ``standard`` (a new usage entry if it had none), and the deviating
    system is dropped from the member; its own systems that depended on it
    depend on ``standard``. A catalogue application left with no
    member using it is retired: its annual cost becomes 0 and its
    application investments go, since nobody would pay them.
    """
    member = require_member(cooperation, member_id)
    if standard not in cooperation.systems:
        raise NotFoundError(message("catalogue system"), standard, sorted(cooperation.systems))
    own = dict(member.own_systems)
    usage = dict(member.systems)
    if deviating in own:
        users = own.pop(deviating).users
    elif deviating in usage:
        users = usage.pop(deviating).users
    else:
        raise ComputeError(
            message('{member} runs no system "{system}"', member=member_id, system=deviating)
        )
    current = usage.get(standard)
    if current is None:
        usage[standard] = Usage(system=standard, users=users)
    else:
        usage[standard] = attrs.evolve(current, users=current.users + users)
    # What ran on the deviating system runs on the standard one: a reference left to a
    # system the member no longer runs would be an unknown system (E101) in its file.
    for own_id, system in own.items():
        if deviating in system.depends_on:
            depends = dict.fromkeys(standard if d == deviating else d for d in system.depends_on)
            own[own_id] = attrs.evolve(system, depends_on=tuple(depends))
    moved = attrs.evolve(member, systems=usage, own_systems=own)
    result = attrs.evolve(cooperation, members={**cooperation.members, member_id: moved})
    if deviating in cooperation.systems and not participants(result, deviating):
        retired = attrs.evolve(cooperation.systems[deviating], annual_cost=Money(0))
        result = attrs.evolve(
            result,
            systems={**result.systems, deviating: retired},
            investments=tuple(i for i in result.investments if i.system != deviating),
        )
    return result


def in_operation(cooperation: Cooperation, year: int) -> Cooperation:
    """The cooperation with only the catalogue systems in operation in ``year``.

    Systems not yet introduced or already retired are left out, with the
    members' use of them and the application investments in them.
    """
    if all(s.active_in(year) for s in cooperation.systems.values()):
        return cooperation
    systems = {k: s for k, s in cooperation.systems.items() if s.active_in(year)}
    members = {
        member_id: attrs.evolve(
            member,
            systems={
                k: u
                for k, u in member.systems.items()
                if k in systems or k not in cooperation.systems
            },
        )
        for member_id, member in cooperation.members.items()
    }
    investments = tuple(
        i for i in cooperation.investments if i.system is None or i.system in systems
    )
    return attrs.evolve(cooperation, systems=systems, members=members, investments=investments)


def grown(cooperation: Cooperation, factor: Fraction) -> Cooperation:
    """The cooperation with every system's and own system's annual cost times ``factor``.

    Each cost is rounded to the øre, halves up; with factor 1 the
    cooperation itself. A year's price growth: ``(1 + growth) ** years``.
    """
    if factor == 1:
        return cooperation

    def times(amount: Money) -> Money:
        return round_ore(amount.ore * factor)

    members = {
        member_id: attrs.evolve(
            member,
            own_systems={
                k: attrs.evolve(o, annual_cost=times(o.annual_cost))
                for k, o in member.own_systems.items()
            },
        )
        for member_id, member in cooperation.members.items()
    }
    systems = {
        k: attrs.evolve(s, annual_cost=times(s.annual_cost)) for k, s in cooperation.systems.items()
    }
    return attrs.evolve(cooperation, members=members, systems=systems)
