"""The JSON Schema of each command's JSON output, from the results' declared shapes."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from dikt.allocation import Allocation, AllocationDiff
from dikt.changes import LeaveEstimate, MergeEstimate
from dikt.economic_plan import Plan
from dikt.fair import KeyStudy
from dikt.findings import Report
from dikt.graph import Impact
from dikt.harmonisation import Gaps, Matrix, Roadmap
from dikt.invoicing import Invoices
from dikt.joining import JoinEstimate
from dikt.serialise import json_schema_of
from dikt.settlement import Settlement
from dikt.views import (  # noqa: F401
    allocation,
    changes,
    fair,
    graph,
    harmonisation,
    joining,
    plan,
    year,
)
from dikt.views.allocation import Explanation, PriceList

__all__ = ["OUTPUTS", "output_schema"]

#: The result each command prints as JSON.
OUTPUTS: Final[Mapping[str, type]] = MappingProxyType(
    {
        "allocate": Allocation,
        "check": Report,
        "diff": AllocationDiff,
        "explain": Explanation,
        "gaps": Gaps,
        "impact": Impact,
        "invoices": Invoices,
        "join": JoinEstimate,
        "keys": KeyStudy,
        "leave": LeaveEstimate,
        "matrix": Matrix,
        "merge": MergeEstimate,
        "plan": Plan,
        "prices": PriceList,
        "roadmap": Roadmap,
        "settle": Settlement,
    }
)


def output_schema(command: str) -> dict[str, Any]:
    """The JSON Schema of ``dikt COMMAND --format json``'s output."""
    return json_schema_of(OUTPUTS[command], f"dikt {command} --format json")
