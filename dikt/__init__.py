"""dikt: the economics and system portfolio of inter-municipal IT cooperations.

Load a cooperation spec and analyse it::

    import dikt
    cooperation = dikt.load("specs/d-ikt")
    for problem in dikt.check(cooperation):
        print(problem)

Names are imported on first use, so that ``import dikt`` (and the CLI's
start-up) stays fast. The public names are written once, in the imports
below (which also give type checkers their types); ``__all__`` and the
lazy lookup are read from them.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Any

from dikt._version import __version__ as __version__

if TYPE_CHECKING:
    from dikt._dump import (
        dump as dump,
        dumps as dumps,
    )
    from dikt._layout import (
        spec_contains as spec_contains,
        spec_files as spec_files,
    )
    from dikt._load import (
        load as load,
        load_texts as load_texts,
        spec_root as spec_root,
    )
    from dikt.actuals import (
        Actuals as Actuals,
        parse_amount as parse_amount,
        read_accounts as read_accounts,
        read_ledger as read_ledger,
    )
    from dikt.allocation import (
        Allocation as Allocation,
        AllocationDiff as AllocationDiff,
        Line as Line,
        LineChange as LineChange,
        LineKind as LineKind,
        MemberAllocation as MemberAllocation,
        MemberChange as MemberChange,
        Split as Split,
        UnitPrice as UnitPrice,
        allocate as allocate,
        diff as diff,
        unit_prices as unit_prices,
    )
    from dikt.changes import (
        ContributionChange as ContributionChange,
        LeaveEstimate as LeaveEstimate,
        LeftBehind as LeftBehind,
        MergeEstimate as MergeEstimate,
        Obligation as Obligation,
        leave as leave,
        merge as merge,
        merged_member as merged_member,
    )
    from dikt.checks import (
        check as check,
    )
    from dikt.costs import (
        Costing as Costing,
        CostItem as CostItem,
        SystemCost as SystemCost,
        costing as costing,
        effective_model as effective_model,
        priced as priced,
        system_item as system_item,
    )
    from dikt.economic_plan import (
        Plan as Plan,
        PlanCell as PlanCell,
        PlanYear as PlanYear,
        plan as plan,
    )
    from dikt.errors import (
        CODES as CODES,
        ArgumentError as ArgumentError,
        ComputeError as ComputeError,
        DiktError as DiktError,
        NotFoundError as NotFoundError,
        Problem as Problem,
        Severity as Severity,
        SpecError as SpecError,
        WhatIfError as WhatIfError,
    )
    from dikt.exports import (
        archimate_xml as archimate_xml,
        focus_csv as focus_csv,
        focus_rows as focus_rows,
        graph_dot as graph_dot,
        graph_graphml as graph_graphml,
        graph_json as graph_json,
    )
    from dikt.fair import (
        CoreCheck as CoreCheck,
        Gain as Gain,
        Game as Game,
        KeyResult as KeyResult,
        KeyShare as KeyShare,
        KeyStudy as KeyStudy,
        StandAlone as StandAlone,
        Violation as Violation,
        airport_shapley as airport_shapley,
        core as core,
        cost_game as cost_game,
        joining_gains as joining_gains,
        key_study as key_study,
        shapley as shapley,
        shapley_amounts as shapley_amounts,
    )
    from dikt.graph import (
        Impact as Impact,
        ImpactedMember as ImpactedMember,
        ImpactedSystem as ImpactedSystem,
        build_graph as build_graph,
        impact as impact,
    )
    from dikt.harmonisation import (
        DomainGap as DomainGap,
        DomainStatus as DomainStatus,
        Gaps as Gaps,
        Matrix as Matrix,
        MatrixRow as MatrixRow,
        Roadmap as Roadmap,
        RunningSystem as RunningSystem,
        Step as Step,
        gaps as gaps,
        matrix as matrix,
        roadmap as roadmap,
    )
    from dikt.i18n import (
        LANGUAGES as LANGUAGES,
        Texts as Texts,
        texts as texts,
    )
    from dikt.invoicing import (
        Instalment as Instalment,
        InvoiceLine as InvoiceLine,
        Invoices as Invoices,
        MemberInvoices as MemberInvoices,
        invoices as invoices,
    )
    from dikt.joining import (
        CostCategory as CostCategory,
        FleetModel as FleetModel,
        JoinEstimate as JoinEstimate,
        OneTimeItem as OneTimeItem,
        join as join,
        join_alternative as join_alternative,
        one_time_costs as one_time_costs,
    )
    from dikt.model import (
        CalKind as CalKind,
        CapacityStep as CapacityStep,
        Category as Category,
        Cooperation as Cooperation,
        CostModel as CostModel,
        Defaults as Defaults,
        Device as Device,
        Domain as Domain,
        FleetEntry as FleetEntry,
        Investment as Investment,
        Invoicing as Invoicing,
        Key as Key,
        Language as Language,
        Licences as Licences,
        Member as Member,
        MemberStatus as MemberStatus,
        Metric as Metric,
        Outcome as Outcome,
        OwnSystem as OwnSystem,
        Package as Package,
        Period as Period,
        Premises as Premises,
        Prices as Prices,
        ProcessItem as ProcessItem,
        Remainder as Remainder,
        Representatives as Representatives,
        SettlementTerms as SettlementTerms,
        StaffGroup as StaffGroup,
        StepBasis as StepBasis,
        System as System,
        SystemStatus as SystemStatus,
        TakenOver as TakenOver,
        ThinClients as ThinClients,
        Transfer as Transfer,
        Usage as Usage,
        Use as Use,
    )
    from dikt.money import (
        Money as Money,
    )
    from dikt.naming import (
        Named as Named,
        Names as Names,
        names_of as names_of,
        short_name as short_name,
    )
    from dikt.report import (
        FleetYear as FleetYear,
        JoinReport as JoinReport,
        SpecFile as SpecFile,
        join_report as join_report,
    )
    from dikt.scenario import (
        harmonise as harmonise,
        in_operation as in_operation,
        promote as promote,
        require_member as require_member,
    )
    from dikt.schema import (
        json_schema as json_schema,
    )
    from dikt.settlement import (
        ItemVariance as ItemVariance,
        MemberSettlement as MemberSettlement,
        Settlement as Settlement,
        SettlementLine as SettlementLine,
        settle as settle,
    )
    from dikt.sheets import (
        Imported as Imported,
        export_workbook as export_workbook,
        import_csv as import_csv,
        import_workbook as import_workbook,
        spec_texts as spec_texts,
        template_workbook as template_workbook,
    )
    from dikt.views.report import (
        report_document as report_document,
    )
    from dikt.whatif import (
        Blocker as Blocker,
        WhatIf as WhatIf,
        blockers as blockers,
    )
    from dikt.writers.html import (
        write_html as write_html,
    )
    from dikt.writers.pdf import (
        write_pdf as write_pdf,
    )


@cache
def _locations() -> dict[str, str]:
    """Each public name and its module, read from the ``TYPE_CHECKING`` imports above."""
    import ast  # noqa: PLC0415 - only on the first lookup
    from pathlib import Path  # noqa: PLC0415

    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    locations = {"__version__": "dikt._version"}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                assert statement.module is not None
                for alias in statement.names:
                    locations[alias.asname or alias.name] = statement.module
    return locations


def __getattr__(name: str) -> Any:
    if name == "__all__":
        return sorted(_locations())
    module = _locations().get(name)
    if module is None:
        raise AttributeError(f"module 'dikt' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(_locations())
