"""dikt: the economics and system portfolio of inter-municipal IT cooperations.

Load a cooperation spec and analyse it::

    import dikt
    cooperation = dikt.load("specs/d-ikt")
    for problem in dikt.check(cooperation):
        print(problem)

Names are imported on first use, so that ``import dikt`` (and the CLI's
start-up) stays fast; everything public is listed in ``__all__``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dikt._version import __version__

if TYPE_CHECKING:
    from dikt._dump import dump, dumps
    from dikt._load import load, load_texts
    from dikt.allocation import (
        Allocation,
        AllocationDiff,
        Line,
        LineKind,
        MemberAllocation,
        Split,
        UnitPrice,
        allocate,
        diff,
        unit_prices,
    )
    from dikt.checks import check
    from dikt.errors import ComputeError, DiktError, NotFoundError, Problem, Severity, SpecError
    from dikt.graph import build_graph, impact
    from dikt.model import (
        CalKind,
        Category,
        Cooperation,
        Defaults,
        Device,
        Domain,
        FleetEntry,
        Investment,
        Key,
        Licences,
        Member,
        MemberStatus,
        Metric,
        OwnSystem,
        Package,
        Premises,
        Prices,
        ProcessItem,
        Representatives,
        System,
        SystemStatus,
        ThinClients,
        Usage,
        Use,
    )
    from dikt.money import Money
    from dikt.schema import json_schema

__all__ = [
    "Allocation",
    "AllocationDiff",
    "CalKind",
    "Category",
    "ComputeError",
    "Cooperation",
    "Defaults",
    "Device",
    "DiktError",
    "Domain",
    "FleetEntry",
    "Investment",
    "Key",
    "Licences",
    "Line",
    "LineKind",
    "Member",
    "MemberAllocation",
    "MemberStatus",
    "Metric",
    "Money",
    "NotFoundError",
    "OwnSystem",
    "Package",
    "Premises",
    "Prices",
    "Problem",
    "ProcessItem",
    "Representatives",
    "Severity",
    "SpecError",
    "Split",
    "System",
    "SystemStatus",
    "ThinClients",
    "UnitPrice",
    "Usage",
    "Use",
    "__version__",
    "allocate",
    "build_graph",
    "check",
    "diff",
    "dump",
    "dumps",
    "impact",
    "json_schema",
    "load",
    "load_texts",
    "unit_prices",
]

# Where each public name lives; the modules are imported on first access.
_LOCATIONS = {
    "dump": "dikt._dump",
    "dumps": "dikt._dump",
    "load": "dikt._load",
    "load_texts": "dikt._load",
    "check": "dikt.checks",
    "NotFoundError": "dikt.errors",
    **dict.fromkeys(
        [
            "Allocation",
            "AllocationDiff",
            "Line",
            "LineKind",
            "MemberAllocation",
            "Split",
            "UnitPrice",
            "allocate",
            "diff",
            "unit_prices",
        ],
        "dikt.allocation",
    ),
    "ComputeError": "dikt.errors",
    "DiktError": "dikt.errors",
    "Problem": "dikt.errors",
    "Severity": "dikt.errors",
    "SpecError": "dikt.errors",
    "build_graph": "dikt.graph",
    "impact": "dikt.graph",
    "Money": "dikt.money",
    "json_schema": "dikt.schema",
    **dict.fromkeys(
        [
            "CalKind",
            "Category",
            "Cooperation",
            "Defaults",
            "Device",
            "Domain",
            "FleetEntry",
            "Investment",
            "Key",
            "Licences",
            "Member",
            "MemberStatus",
            "Metric",
            "OwnSystem",
            "Package",
            "Premises",
            "Prices",
            "ProcessItem",
            "Representatives",
            "System",
            "SystemStatus",
            "ThinClients",
            "Usage",
            "Use",
        ],
        "dikt.model",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'dikt' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
