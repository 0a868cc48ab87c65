"""The PC fleet rules, once: what joining replaces, and when PCs are renewed.

A PC (laptop or desktop) is replaced when joining when its model has fewer
than ``min_units_per_model`` units in the fleet or it is older than
``pc_lifetime_years`` in the implementation year; in the economic plan a PC
is renewed each time its age passes the lifetime. :mod:`dikt.joining` and
:mod:`dikt.economic_plan` both ask this module.
"""

from __future__ import annotations

import attrs

from dikt.model import Cooperation, Device, FleetEntry, Member, Premises, ThinClients
from dikt.money import Money

__all__ = [
    "fleet_after_joining",
    "fleet_renewal",
    "pc_due",
    "pc_units_by_model",
    "renewal_years",
]


def pc_units_by_model(fleet: tuple[FleetEntry, ...]) -> dict[str, int]:
    """The PC units (laptops and desktops) of each model, all entries together."""
    units: dict[str, int] = {}
    for entry in fleet:
        if entry.kind is not Device.THIN_CLIENT:
            units[entry.model] = units.get(entry.model, 0) + entry.units
    return units


def pc_due(premises: Premises, entry: FleetEntry, model_units: int, year: int) -> bool:
    """Whether joining in ``year`` replaces a PC entry by laptops.

    Its model has fewer than ``min_units_per_model`` units in the fleet, or
    its age, ``year - purchased``, exceeds ``pc_lifetime_years``.
    """
    return (
        model_units < premises.min_units_per_model
        or year - entry.purchased > premises.pc_lifetime_years
    )


def renewal_years(entry: FleetEntry, lifetime: int, first: int, last: int) -> list[int]:
    """The plan years in which a fleet entry's units are renewed.

    A PC is due when its age passes the lifetime (``year - purchased >
    lifetime``); one already overdue at the start of the plan is renewed in
    the first year; renewed PCs are due again after the same lifetime.
    """
    if entry.kind is Device.THIN_CLIENT:
        return []
    due = max(entry.purchased + lifetime + 1, first)
    years = []
    while due <= last:
        years.append(due)
        due += lifetime + 1
    return years


def fleet_renewal(
    cooperation: Cooperation, fleet: tuple[FleetEntry, ...], year: int, first: int
) -> Money:
    """What renewing the PCs due in ``year`` costs (laptops and desktops alike).

    ``first`` is the plan's first year, which takes the backlog of PCs
    already past their lifetime. Thin clients are not renewed here: the
    premises give them no lifetime and no price (joining with
    ``thin_clients = "replace"`` makes them laptops, renewed as laptops).
    """
    premises = cooperation.premises
    total = Money(0)
    for entry in fleet:
        if year in renewal_years(entry, premises.pc_lifetime_years, first, year):
            price = (
                premises.prices.laptop if entry.kind is Device.LAPTOP else premises.prices.desktop
            )
            total += price * entry.units
    return total


def fleet_after_joining(
    cooperation: Cooperation, member: Member, when: int
) -> tuple[FleetEntry, ...]:
    """A candidate's fleet once joined in ``when``: what joining replaced is new laptops.

    The PCs due then, and with ``thin_clients = "replace"`` every thin client:
    joining buys laptops for them, which the plan renews a lifetime later.
    """
    premises = cooperation.premises
    per_model = pc_units_by_model(member.fleet)
    fleet = []
    for entry in member.fleet:
        if entry.kind is Device.THIN_CLIENT:
            due = premises.thin_clients is ThinClients.REPLACE
        else:
            due = pc_due(premises, entry, per_model[entry.model], when)
        fleet.append(attrs.evolve(entry, kind=Device.LAPTOP, purchased=when) if due else entry)
    return tuple(fleet)
