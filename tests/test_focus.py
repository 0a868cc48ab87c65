"""The FinOps FOCUS 1.3 export: every rule of the columns written, checked on every row.

The checks are written from the specification's text (columns, their types,
nullability and allowed values; NumericFormat, DateTimeFormat, KeyValueFormat;
the allocation columns of 1.3).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given

import dikt
from dikt.focus import CHARGE_FREQUENCIES, COLUMNS, SERVICE_CATEGORIES, focus_csv

from .conftest import EXAMPLE
from .strategies import cooperations, payable
from .test_cli import run

#: Columns FOCUS 1.3 makes mandatory in a cost and usage dataset.
MANDATORY = {
    "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd",
    "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodEnd",
    "ChargePeriodStart", "ContractedCost", "EffectiveCost", "HostProviderName",
    "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit", "Provider", "Publisher",
    "ServiceCategory", "ServiceName", "ServiceProviderName",
}  # fmt: skip
#: Mandatory or recommended columns that allow no nulls.
NOT_NULL = {
    "BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
    "ChargeCategory", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
    "ContractedCost", "EffectiveCost", "HostProviderName", "InvoiceIssuerName", "ListCost",
    "Provider", "Publisher", "ServiceCategory", "ServiceName", "ServiceProviderName",
}  # fmt: skip
PERIODS = ("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd")
DECIMALS = {"BilledCost", "ContractedCost", "EffectiveCost", "ListCost", "PricingQuantity"}
#: NumericFormat: an integer or a decimal, "-" only for negatives, one "." at most, no ","
NUMERIC = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
#: DateTimeFormat: extended ISO 8601 with the UTC offset "Z".
DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
ISO_4217 = re.compile(r"[A-Z]{3}")


def rows_of(text: str) -> list[dict[str, str | None]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == list(COLUMNS)
    return [{k: (v if v != "" else None) for k, v in row.items()} for row in reader]


def assert_focus_rules(rows: list[dict[str, str | None]]) -> None:
    """Every FOCUS rule of the columns written, on every row; ratios sum to 1 per charge."""
    assert set(COLUMNS) >= MANDATORY
    assert all(c.startswith("x_") or c[0].isupper() for c in COLUMNS)
    ratios: dict[str, list[Decimal]] = defaultdict(list)
    for row in rows:
        for column in NOT_NULL:
            assert row[column] is not None, column
        for column in DECIMALS:
            value = row[column]
            assert value is None or NUMERIC.fullmatch(value), (column, value)
        for column in (
            "BillingPeriodStart",
            "BillingPeriodEnd",
            "ChargePeriodStart",
            "ChargePeriodEnd",
        ):
            assert DATETIME.fullmatch(row[column] or ""), column
        # Start bounds inclusive, end bounds exclusive: a period is not empty.
        assert (row["BillingPeriodStart"] or "") < (row["BillingPeriodEnd"] or "")
        assert (row["ChargePeriodStart"] or "") < (row["ChargePeriodEnd"] or "")
        assert ISO_4217.fullmatch(row["BillingCurrency"] or "")
        assert row["ChargeCategory"] in {"Usage", "Purchase", "Tax", "Credit", "Adjustment"}
        assert row["ChargeClass"] in {None, "Correction"}
        assert row["ChargeFrequency"] in CHARGE_FREQUENCIES
        assert row["ServiceCategory"] in SERVICE_CATEGORIES
        # PricingQuantity: not null for Usage and Purchase (not corrections); null for Tax.
        if row["ChargeCategory"] in ("Usage", "Purchase") and row["ChargeClass"] != "Correction":
            assert row["PricingQuantity"] is not None
        if row["ChargeCategory"] == "Tax":
            assert row["PricingQuantity"] is None
        # PricingUnit is null exactly when PricingQuantity is.
        assert (row["PricingUnit"] is None) == (row["PricingQuantity"] is None)
        # SubAccountId: every charge here is related to a sub account (a member).
        assert row["SubAccountId"] is not None
        # Tags: a JSON object of scalar values; provider-defined keys prefixed.
        if row["Tags"] is not None:
            tags = json.loads(row["Tags"])
            assert isinstance(tags, dict)
            assert all(isinstance(v, str | int | float | bool) or v is None for v in tags.values())
            assert all(key.startswith("dikt/") for key in tags)
        # AllocatedMethodId is null exactly when the charge is not split.
        assert (row["AllocatedMethodId"] is None) == (row["AllocatedMethodDetails"] is None)
        if row["AllocatedMethodDetails"] is not None:
            details = json.loads(row["AllocatedMethodDetails"], parse_float=Decimal)
            assert list(details) == ["Elements"]  # other top-level keys would need "x_"
            assert isinstance(details["Elements"], list)
            for element in details["Elements"]:
                assert isinstance(element, dict)
                assert set(element) <= {"AllocatedRatio", "UsageQuantity", "UsageUnit"}
                ratio = element["AllocatedRatio"]
                assert isinstance(ratio, Decimal | int)
                assert 0 <= ratio <= 1
                if "UsageQuantity" in element:
                    assert isinstance(element["UsageUnit"], str)
                ratios[row["x_OriginChargeId"] or ""].append(Decimal(ratio))
    for charge, shares in ratios.items():
        assert sum(shares) == 1, charge


def test_the_example_allocation_is_a_valid_focus_dataset() -> None:
    cooperation = dikt.load(EXAMPLE)
    allocation = dikt.allocate(cooperation)
    rows = rows_of(focus_csv(cooperation, allocation))
    assert len(rows) == sum(len(m.lines) for m in allocation.members)
    assert_focus_rules(rows)
    assert sum(Decimal(r["BilledCost"] or "0") for r in rows) == allocation.total.to_decimal()
    sande = next(r for r in rows if r["SubAccountId"] == "sande" and r["x_Item"] == "IT141")
    assert sande["ChargeCategory"] == "Usage"
    assert sande["AllocatedMethodId"] == "system-users"
    assert json.loads(sande["AllocatedMethodDetails"] or "") == {
        "Elements": [{"AllocatedRatio": 0.087591241667, "UsageQuantity": 12, "UsageUnit": "users"}]
    }
    gerica = next(r for r in rows if r["x_Item"] == "gerica")
    assert (gerica["AllocatedMethodId"], gerica["AllocatedMethodDetails"]) == (None, None)
    investment = next(r for r in rows if r["x_LineKind"] == "core-investment")
    assert (investment["ChargeCategory"], investment["ChargeFrequency"]) == ("Purchase", "One-Time")
    assert json.loads(investment["Tags"] or "{}")["dikt/investment-category"] == "core"


@given(cooperations())
def test_every_generated_allocation_is_a_valid_focus_dataset(cooperation: dikt.Cooperation) -> None:
    cooperation = payable(cooperation)
    if any(p.severity is dikt.Severity.ERROR for p in dikt.check(cooperation)):
        return
    allocation = dikt.allocate(cooperation)
    rows = rows_of(focus_csv(cooperation, allocation))
    assert_focus_rules(rows)
    assert sum(Decimal(r["BilledCost"] or "0") for r in rows) == allocation.total.to_decimal()


def test_the_command_writes_the_dataset_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "focus.csv"
    code, out, _ = run("allocate", EXAMPLE, "--format", "focus", "--output", target)
    assert (code, out) == (0, "")
    text = target.read_bytes().decode("utf-8")
    assert text.startswith("BilledCost,BillingAccountId,")
    assert "\r\n" in text
    assert_focus_rules(rows_of(text))


def test_the_output_option_names_a_file_it_cannot_write(tmp_path: Path) -> None:
    code, _, err = run("allocate", EXAMPLE, "--output", tmp_path / "missing" / "x.csv")
    assert code == 2
    assert "Traceback" not in err


@pytest.mark.parametrize("column", sorted(MANDATORY))
def test_every_mandatory_column_is_written(column: str) -> None:
    assert column in COLUMNS
