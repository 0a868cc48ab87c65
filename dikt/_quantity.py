"""A member's quantity of an allocation metric: the one place it is defined."""

from __future__ import annotations

from dikt.model import Member, Metric

__all__ = ["quantity"]


def quantity(member: Member, metric: Metric, system_id: str | None = None) -> int:
    """The member's amount of ``metric``; ``system-users`` is per system.

    For an item that is not a catalogue system (an investment), ``system-users``
    is the member's users of ``system_id`` if given, else 0.
    """
    if metric is Metric.SYSTEM_USERS:
        usage = member.systems.get(system_id) if system_id is not None else None
        return usage.users if usage is not None else 0
    if metric is Metric.USERS:
        return member.users
    if metric is Metric.EMPLOYEES:
        return member.employees
    if metric is Metric.POPULATION:
        return member.population
    if metric is Metric.PCS:
        return member.pcs
    return 1  # Metric.EQUAL
