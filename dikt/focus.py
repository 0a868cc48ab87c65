"""The allocation as a FinOps FOCUS 1.3 cost and usage dataset (CSV).

One row per member and charged item (each line of the allocation). The
cooperation is the provider and the billing account; each member a sub
account; each catalogue system a service. Operating costs are ``Usage``
charges recurring over the budget year, investments ``Purchase`` charges
made once. A cost split among members by a key is a data generator-calculated
split cost allocation: ``AllocatedMethodId`` names the key and
``AllocatedMethodDetails`` carries each member's ``AllocatedRatio`` of the
origin charge (with ``UsageQuantity`` and ``UsageUnit`` where the key has a
metric); the ratios of one origin charge sum to exactly 1. A line a member
pays alone (own systems, member investments) is not split: both columns are
null. The mapping is documented in docs/exports.md.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from dikt._deprecated import deprecated
from dikt.allocation import ALONE, Allocation, Line, LineKind, Split
from dikt.model import Cooperation, Metric, Package, ServiceCategory
from dikt.money import split_ore
from dikt.writers.csv import neutralise

if TYPE_CHECKING:
    from dikt.settlement import Settlement

__all__ = [
    "CHARGE_FREQUENCIES",
    "COLUMNS",
    "SERVICE_CATEGORIES",
    "focus_actual_csv",
    "focus_csv",
    "focus_rows",
]

#: The columns written, in order: every column FOCUS 1.3 makes mandatory for a
#: cost and usage dataset, the conditional ones that apply (sub accounts,
#: tags, split cost allocation), the recommended charge frequency, and dikt's
#: own ``x_`` columns.
COLUMNS: Final = (
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ContractedCost",
    "EffectiveCost",
    "HostProviderName",
    "InvoiceIssuerName",
    "ListCost",
    "PricingQuantity",
    "PricingUnit",
    "Provider",
    "Publisher",
    "ServiceCategory",
    "ServiceName",
    "ServiceProviderName",
    "SubAccountId",
    "SubAccountName",
    "Tags",
    "AllocatedMethodId",
    "AllocatedMethodDetails",
    "x_OriginChargeId",
    "x_LineKind",
    "x_Item",
)

#: ServiceCategory's allowed values (FOCUS 1.3).
SERVICE_CATEGORIES: Final = frozenset(category.value for category in ServiceCategory)

#: ChargeFrequency's allowed values.
CHARGE_FREQUENCIES: Final = frozenset({"One-Time", "Recurring", "Usage-Based"})

_INVESTMENTS: Final = frozenset(
    {
        LineKind.CORE_INVESTMENT,
        LineKind.APPLICATION_INVESTMENT,
        LineKind.MEMBER_INVESTMENT,
        LineKind.OBLIGATION,
    }
)
#: Ratios are written with this many decimals, split by the largest remainder
#: so that the ratios of one origin charge sum to exactly 1.
_RATIO_PLACES: Final = 12
#: The tag key prefix of dikt's provider-defined tags.
_TAG_PREFIX: Final = "dikt/"


def _instant(year: int) -> str:
    return f"{year:04d}-01-01T00:00:00Z"


def _decimal_text(value: Decimal) -> str:
    """A decimal in FOCUS' numeric format: digits and one point, no exponent, no ``+``."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _ratios(lines: Sequence[Line]) -> list[str]:
    """Each line's share of its origin charge, as decimals that sum to exactly 1."""
    weights = [line.amount.ore for line in lines]
    if not any(weights):  # nothing to pay: the key's exact shares
        weights = [line.weight for line in lines]
    parts = split_ore(10**_RATIO_PLACES, weights)
    return [_decimal_text(Decimal(part).scaleb(-_RATIO_PLACES)) for part in parts]


def _unit(split: Split) -> str | None:
    if split.metric is None or split.metric is Metric.EQUAL:
        return None
    return "users" if split.metric is Metric.SYSTEM_USERS else split.metric.value


def _details(split: Split, line: Line, ratio: str) -> str:
    """The AllocatedMethodDetails JSON of one allocated charge."""
    element = f'"AllocatedRatio":{ratio}'
    unit = _unit(split)
    if unit is not None:
        quantity = line.quantity if isinstance(line.quantity, int) else None
        if quantity is not None:
            element += f',"UsageQuantity":{quantity},"UsageUnit":{json.dumps(unit)}'
    return '{"Elements":[{' + element + "}]}"


def _service(cooperation: Cooperation, split: Split) -> tuple[str, Mapping[str, str]]:
    """The service category and the tags of a split's charge."""
    system = cooperation.systems.get(split.system or split.item)
    tags: dict[str, str] = {}
    if split.kind is LineKind.OBLIGATION:
        # A member that has left pays a part of an investment: the investment's category.
        for investment in cooperation.investments:
            if investment.id == split.item:
                tags[f"{_TAG_PREFIX}investment-category"] = investment.category.value
    elif split.kind in _INVESTMENTS:
        tags[f"{_TAG_PREFIX}investment-category"] = split.kind.value.removesuffix("-investment")
    if system is not None and split.kind is not LineKind.OWN_SYSTEM:
        tags[f"{_TAG_PREFIX}domain"] = system.domain
        tags[f"{_TAG_PREFIX}package"] = system.package.value
        if system.service_category is not None:
            return system.service_category.value, tags
        return ("Other" if system.package is Package.BASE else "Business Applications"), tags
    if split.kind is LineKind.OWN_SYSTEM:
        tags[f"{_TAG_PREFIX}package"] = "own-system"
        for member in cooperation.members.values():
            own = member.own_systems.get(split.item)
            if own is not None and split.participants == (member.id,):
                tags[f"{_TAG_PREFIX}domain"] = own.domain
        return "Business Applications", tags
    return "Other", tags


def _in_order(first: object, second: object, name: str) -> tuple[Cooperation, Allocation]:
    """The arguments in today's order; the first release's (allocation first) warned about."""
    if isinstance(first, Allocation):
        deprecated(
            f"{name}(allocation, cooperation)", f"{name}(cooperation, allocation)", stacklevel=4
        )
        first, second = second, first
    assert isinstance(first, Cooperation)
    assert isinstance(second, Allocation)
    return first, second


def focus_rows(cooperation: Cooperation, allocation: Allocation) -> list[dict[str, str | None]]:
    """The FOCUS rows of an allocation, every column of :data:`COLUMNS` in each."""
    cooperation, allocation = _in_order(cooperation, allocation, "focus_rows")
    start, end = _instant(allocation.year), _instant(allocation.year + 1)
    provider = allocation.name or allocation.cooperation_id  # never null
    names = {m.id: m.name for m in allocation.members}
    by_split: dict[int, list[Line]] = {}
    for member in allocation.members:
        for line in member.lines:
            by_split.setdefault(id(line.split), []).append(line)
    rows = []
    for split in allocation.splits:
        lines = by_split.get(id(split), [])
        category, tags = _service(cooperation, split)
        investment = split.kind in _INVESTMENTS
        ratios = _ratios(lines) if split.key != ALONE else [None] * len(lines)
        for line, ratio in zip(lines, ratios, strict=True):
            amount = str(line.amount)
            rows.append(
                {
                    "BilledCost": amount,
                    "BillingAccountId": allocation.cooperation_id,
                    "BillingAccountName": allocation.name,
                    "BillingCurrency": allocation.currency,
                    "BillingPeriodEnd": end,
                    "BillingPeriodStart": start,
                    "ChargeCategory": "Purchase" if investment else "Usage",
                    "ChargeClass": None,
                    "ChargeDescription": f"{split.name} ({split.kind.value})",
                    "ChargeFrequency": "One-Time" if investment else "Recurring",
                    "ChargePeriodEnd": end,
                    "ChargePeriodStart": start,
                    "ContractedCost": amount,
                    "EffectiveCost": amount,
                    "HostProviderName": provider,
                    "InvoiceIssuerName": provider,
                    "ListCost": amount,
                    "PricingQuantity": "1",
                    "PricingUnit": "Share",
                    "Provider": provider,
                    "Publisher": provider,
                    "ServiceCategory": category,
                    "ServiceName": split.name or split.item,
                    "ServiceProviderName": provider,
                    "SubAccountId": line.member,
                    "SubAccountName": names[line.member],
                    "Tags": json.dumps(tags, ensure_ascii=False, sort_keys=True),
                    "AllocatedMethodId": None if ratio is None else split.key,
                    "AllocatedMethodDetails": None
                    if ratio is None
                    else _details(split, line, ratio),
                    "x_OriginChargeId": f"{split.kind.value}:{split.item}",
                    "x_LineKind": split.kind.value,
                    "x_Item": split.item,
                }
            )
    return rows


#: The columns that hold numbers: the only cells that may start with "-".
_NUMBERS: Final = frozenset(
    {"BilledCost", "ContractedCost", "EffectiveCost", "ListCost", "PricingQuantity"}
)


def focus_csv(cooperation: Cooperation, allocation: Allocation) -> str:
    """The FOCUS dataset as CSV: RFC 4180, UTF-8, a header row, null as an empty cell.

    A text cell a spreadsheet would run as a formula (a name starting with
    ``=``) gets a leading ``'``, as ``--format csv`` writes it
    (:func:`dikt.writers.csv.neutralise`).
    """
    cooperation, allocation = _in_order(cooperation, allocation, "focus_csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in focus_rows(cooperation, allocation):
        writer.writerow(
            [
                "" if value is None else value if column in _NUMBERS else neutralise(value)
                for column in COLUMNS
                for value in (row[column],)
            ]
        )
    return buffer.getvalue()


def focus_actual_csv(cooperation: Cooperation, settlement: Settlement) -> str:
    """A settled year's actual costs as a FOCUS dataset, beside the budget's.

    The rows of :func:`focus_csv` for the actual allocation
    (:meth:`dikt.Settlement.actual_allocation`): each member's actual share of
    each project, split by the budget's keys. Each row's ``Tags`` carry
    ``"dikt/figures": "actual"``, so that a FinOps tool reading this dataset
    and the budget's (``dikt allocate --format focus``) tells them apart.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in focus_rows(cooperation, settlement.actual_allocation()):
        tags = json.loads(row["Tags"] or "{}")
        tags[f"{_TAG_PREFIX}figures"] = "actual"
        row["Tags"] = json.dumps(tags, ensure_ascii=False, sort_keys=True)
        writer.writerow(["" if row[column] is None else row[column] for column in COLUMNS])
    return buffer.getvalue()
