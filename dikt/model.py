"""The frozen model of a cooperation spec.

Every user-facing key is documented once, here, in its field's ``doc``
metadata; the JSON Schema (``dikt schema``) and the spec reference in docs/
are generated from it. Collections are tuples or read-only mappings, so a
loaded spec cannot change under an analysis.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final

import attrs

from dikt._repr import summary_repr
from dikt.errors import Problem
from dikt.limits import MAX_COUNT, YEAR_MAX, YEAR_MIN
from dikt.money import Money

__all__ = [
    "MAX_COUNT",
    "METRICS",
    "YEAR_MAX",
    "YEAR_MIN",
    "CalKind",
    "CapacityStep",
    "Category",
    "Cooperation",
    "CostModel",
    "Defaults",
    "Device",
    "Domain",
    "FleetEntry",
    "Investment",
    "Invoicing",
    "Key",
    "Language",
    "Licences",
    "Member",
    "MemberStatus",
    "Metric",
    "Outcome",
    "OwnSystem",
    "Package",
    "Period",
    "Premises",
    "Prices",
    "ProcessItem",
    "Remainder",
    "Representatives",
    "ServiceCategory",
    "SetAside",
    "SettlementTerms",
    "StaffGroup",
    "StepBasis",
    "System",
    "SystemStatus",
    "TakenOver",
    "ThinClients",
    "Transfer",
    "Usage",
    "Use",
    "check_year",
    "written_fields",
]

#: The spec format version this dikt reads.
SCHEMA_VERSION: Final = 1


def check_year(year: int, what: str | None = None) -> int:
    """``year`` if dikt supports it; :class:`~dikt.errors.ComputeError` if not.

    ``what`` names the year in the error (a :func:`dikt.i18n.message`; "year" if None).

    >>> check_year(2012)
    2012
    """
    if not YEAR_MIN <= year <= YEAR_MAX:
        from dikt.errors import ComputeError  # noqa: PLC0415 - only on this error path
        from dikt.i18n import message  # noqa: PLC0415

        raise ComputeError(
            message(
                "{what} {year} is outside the supported years {first}-{last}",
                what=message("year") if what is None else what,
                year=year,
                first=YEAR_MIN,
                last=YEAR_MAX,
            )
        )
    return year


_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _field(doc: str, **kwargs: Any) -> Any:
    """An attrs field whose user documentation lives in its metadata."""
    metadata = {"doc": doc, **kwargs.pop("metadata", {})}
    return attrs.field(metadata=metadata, **kwargs)


def written_fields(cl: type) -> tuple[attrs.Attribute[Any], ...]:
    """The fields of a model class that a user writes as keys of its table.

    Not the id of a table named by its key, not the members (their own files),
    not internal fields such as a cooperation's ``sources``.
    """
    return tuple(
        a
        for a in attrs.fields(cl)
        if not (a.metadata.get("from_key") or a.metadata.get("file") or a.metadata.get("internal"))
    )


def _bounded(doc: str, low: int, high: int, **kwargs: Any) -> Any:
    """An integer field with its own range (other integers are counts)."""
    return _field(doc, metadata={"bounds": (low, high)}, **kwargs)


def _year(doc: str, **kwargs: Any) -> Any:
    """A year, within the supported years."""
    return _bounded(doc, YEAR_MIN, YEAR_MAX, **kwargs)


def _id(doc: str) -> Any:
    """An id written as a value (``id = "sande"``): checked against the id pattern."""
    return _field(doc, metadata={"id": True})


def _id_from_key(doc: str) -> Any:
    """The id of a table that is named by its key (``[systems.IT141]``)."""
    return _field(doc, metadata={"from_key": True})


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return value if isinstance(value, MappingProxyType) else MappingProxyType(dict(value))


def _optional_frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    return None if value is None else _frozen_mapping(value)


def _frozen_mappings(
    value: Mapping[str, Mapping[str, Any]],
) -> Mapping[str, Mapping[str, Any]]:
    return _frozen_mapping({k: _frozen_mapping(v) for k, v in value.items()})


def _mapping(doc: str) -> Any:
    return _field(doc, factory=dict, converter=_frozen_mapping)


class Package(enum.Enum):
    """The two groups of projects in the cost model."""

    BASE = "base"
    APPLICATION = "application"


class SystemStatus(enum.Enum):
    """Where a catalogue system stands in the cooperation's standard."""

    STANDARD = "standard"
    TOLERATED = "tolerated"
    PHASE_OUT = "phase-out"


class ServiceCategory(enum.Enum):
    """What a catalogue system does, in FinOps FOCUS' service categories (for exports)."""

    AI_AND_MACHINE_LEARNING = "AI and Machine Learning"
    ANALYTICS = "Analytics"
    BUSINESS_APPLICATIONS = "Business Applications"
    COMPUTE = "Compute"
    DATABASES = "Databases"
    DEVELOPER_TOOLS = "Developer Tools"
    MULTICLOUD = "Multicloud"
    IDENTITY = "Identity"
    INTEGRATION = "Integration"
    INTERNET_OF_THINGS = "Internet of Things"
    MANAGEMENT_AND_GOVERNANCE = "Management and Governance"
    MEDIA = "Media"
    MIGRATION = "Migration"
    MOBILE = "Mobile"
    NETWORKING = "Networking"
    SECURITY = "Security"
    STORAGE = "Storage"
    WEB = "Web"
    OTHER = "Other"


class Metric(enum.Enum):
    """What an allocation key splits by."""

    SYSTEM_USERS = "system-users"
    USERS = "users"
    EMPLOYEES = "employees"
    POPULATION = "population"
    PCS = "pcs"
    EQUAL = "equal"


#: Every metric name, which is also a built-in key of that name.
METRICS: Final = frozenset(m.value for m in Metric)


class Category(enum.Enum):
    """The three categories of investment in the budget process."""

    CORE = "core"
    APPLICATION = "application"
    MEMBER = "member"


class MemberStatus(enum.Enum):
    """A member of the cooperation, or a municipality considering joining."""

    MEMBER = "member"
    CANDIDATE = "candidate"


class Device(enum.Enum):
    """Kinds of client device in a fleet survey."""

    LAPTOP = "laptop"
    DESKTOP = "desktop"
    THIN_CLIENT = "thin-client"


class Use(enum.Enum):
    """Where a device is used."""

    SCHOOL = "school"
    ADMIN = "admin"


class CalKind(enum.Enum):
    """How a municipality licenses client access to Microsoft servers."""

    SINGLE = "single"
    CORE = "core"


class StepBasis(enum.Enum):
    """What a system's capacity steps are sized by, for a set of members."""

    LARGEST = "largest"  #: the largest member's users (an airport game)
    TOTAL = "total"  #: the members' users together


class Language(enum.Enum):
    """The language dikt writes for people: English or Norwegian bokmål."""

    EN = "en"
    NB = "nb"


class ThinClients(enum.Enum):
    """What joining does with a candidate's thin clients."""

    KEEP = "keep"
    REPLACE = "replace"


class Obligations(enum.Enum):
    """How a leaving member pays its part of investments still being paid."""

    SETTLE = "settle"
    PAY_TO_END = "pay-to-end"


class Period(enum.Enum):
    """How often the members are invoiced on account during the year."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


class Remainder(enum.Enum):
    """Which instalments take the øre left over when a line does not divide evenly."""

    FIRST = "first"
    LAST = "last"


class Outcome(enum.Enum):
    """What happens to a year's total overspend or underspend (KRS 12)."""

    SETTLE = "settle"  #: settled with the members in the year (invoiced or paid back)
    CARRY_FORWARD = "carry-forward"  #: carried into next year's budget


@attrs.frozen(kw_only=True)
class Defaults:
    """The keys used when a system or investment names none, and the default cost model."""

    base_key: str = _field("Key for base packages.", default="users")
    application_key: str = _field("Key for applications.", default="system-users")
    core_investment_key: str = _field("Key for core investments.", default="users")
    per_user_share: Fraction | None = _field(
        "The share of each catalogue system's annual cost that is a cost per user (0 to 1), "
        "for every system without its own `cost_model`: what joining, the plan, the report "
        "and fair shares assume grows and shrinks with the members' users; the rest is fixed. "
        "Without it such a system's cost is held flat when members join or leave, and every "
        "what-if says how much was held flat.",
        default=None,
    )


@attrs.frozen(kw_only=True)
class Key:
    """A named allocation key: a mix of an equal part and a metric, or fixed shares."""

    id: str = _id_from_key("The key's name, from its table: `[keys.NAME]`.")
    metric: Metric | None = _field(
        "What the proportional part is split by: "
        "system-users, users, employees, population, pcs or equal.",
        default=None,
    )
    equal_share: Fraction = _field(
        "The part of each amount split equally among the participants (0 to 1); "
        "the rest is split in proportion to `metric`.",
        default=Fraction(0),
    )
    shares: Mapping[str, Fraction] | None = _field(
        "Fixed shares by member id; they must cover exactly the participants and sum to 1. "
        "Excludes `metric` and `equal_share`.",
        default=None,
        converter=_optional_frozen_mapping,
    )
    shares_without: Mapping[str, Mapping[str, Fraction]] = _field(
        "The fixed shares once a named member leaves, by its id: "
        "`[keys.NAME.shares_without.MEMBER]` gives every remaining member's share, "
        "summing to 1. `dikt leave` and the plan use them.",
        factory=dict,
        converter=_frozen_mappings,
    )
    shares_merged: Mapping[str, Mapping[str, Fraction]] = _field(
        "The fixed shares once members merge, by the merged member's id: "
        "`[keys.NAME.shares_merged.ID]` gives the merged member's share and every "
        "other member's, summing to 1. `dikt merge` and the plan use them.",
        factory=dict,
        converter=_frozen_mappings,
    )
    shares_with: Mapping[str, Mapping[str, Fraction]] = _field(
        "The fixed shares once a named candidate joins, by its id: "
        "`[keys.NAME.shares_with.CANDIDATE]` gives the share of every member in `shares` "
        "and the candidate's, summing to 1. `dikt join`, `report`, `keys --candidate`, "
        "`gaps` and `roadmap` for the candidate, and the plan use them.",
        factory=dict,
        converter=_frozen_mappings,
    )


@attrs.frozen(kw_only=True)
class Domain:
    """A domain (fagområde): child welfare, schools, finance..."""

    id: str = _id_from_key("The domain's id, from its table: `[domains.ID]`.")
    name: str = _field("The domain's name, as people say it.")


@attrs.frozen(kw_only=True)
class System:
    """A catalogue system (a project in the cooperation's accounts)."""

    id: str = _id_from_key("The project code, from its table: `[systems.IT141]`.")
    name: str = _field("The system's name.")
    package: Package = _field('"base" (base package, grunnpakke) or "application".')
    domain: str = _field("The id of its domain (`[domains.ID]`).")
    annual_cost: Money = _field("Operating cost per year.")
    vendor: str | None = _field("The vendor.", default=None)
    key: str | None = _field(
        "The allocation key; without it, the default for its package.", default=None
    )
    depends_on: tuple[str, ...] = _field(
        "Ids of catalogue systems this one needs to run.", default=()
    )
    status: SystemStatus = _field(
        '"standard", "tolerated" or "phase-out".', default=SystemStatus.STANDARD
    )
    critical: bool = _field(
        "Critical to life and health: covered by the on-call arrangement.", default=False
    )
    coordinator: str | None = _field(
        "Coordinator at the cooperation (koordineringsansvarlig), as a role title.",
        default=None,
    )
    operations: str | None = _field(
        "Operations manager at the cooperation (driftsansvarlig), as a role title.",
        default=None,
    )
    service_category: ServiceCategory | None = _field(
        'Its FinOps FOCUS service category, for the cost export ("Security", "Identity", '
        '"Networking", "Storage"...); without it, "Other" for a base package and '
        '"Business Applications" for an application.',
        default=None,
    )
    introduced: dt.date | None = _field(
        "When the system goes into operation; it is charged from that year on.",
        default=None,
    )
    retired: dt.date | None = _field(
        "When the system goes out of operation; it is charged for the years before "
        "that date's year, and for that year too unless the date is 1 January.",
        default=None,
    )
    cost_model: CostModel | None = _field(
        "How its cost arises (fixed, per user, capacity steps): what serving any set of "
        "members costs, for joining, the plan, the report and fair shares (`dikt keys`); "
        "without it, `defaults.per_user_share` if written, else the whole annual cost is fixed.",
        default=None,
    )

    def active_in(self, year: int) -> bool:
        """Whether the system is in operation (and charged) in ``year``."""
        if self.introduced is not None and self.introduced.year > year:
            return False
        return self.retired is None or self.retired > dt.date(year, 1, 1)


@attrs.frozen(kw_only=True)
class Investment:
    """An investment of one budget year."""

    id: str = _id("The investment's id, unique in the spec.")
    category: Category = _field('"core", "application" or "member".')
    year: int = _year("The budget year the investment falls in.")
    amount: Money = _field("The amount.")
    description: str | None = _field("What is bought.", default=None)
    system: str | None = _field(
        'The catalogue system; required for "application", else absent.', default=None
    )
    member: str | None = _field(
        'The member that pays; required for "member", else absent.', default=None
    )
    key: str | None = _field(
        'Allocation key overriding `defaults.core_investment_key`; only for "core".',
        default=None,
    )


@attrs.frozen(kw_only=True)
class Prices:
    """Unit prices used when estimating what joining costs."""

    laptop: Money = _field("A laptop.", default=Money(750_000))
    desktop: Money = _field("A desktop PC.", default=Money(375_000))
    charging_cabinet: Money = _field("A charging cabinet for school PCs.", default=Money(3_300_000))
    core_cal_per_employee: Money = _field(
        "CoreCAL per employee, for a candidate on single CALs.", default=Money(90_000)
    )
    capacity_per_user: Money = _field(
        "Data-centre expansion per joining user.", default=Money(25_000)
    )


@attrs.frozen(kw_only=True)
class CapacityStep:
    """One step of capacity: what serving up to `up_to` users costs a year."""

    up_to: int = _bounded("The most users this step serves.", 1, MAX_COUNT)
    cost: Money = _field("Its cost per year (the whole step, not an increment).")


@attrs.frozen(kw_only=True)
class CostModel:
    """How a catalogue system's annual cost arises, for every what-if and fair shares.

    The cost of serving a set of members is the fixed part (once, if any of
    them uses the system), `per_user` for each of their users of it, and
    the cost of the smallest capacity step that serves them. Serving every
    member costs exactly `annual_cost`: the fixed part is what the other
    parts leave of it (`fixed`, if written, must be that).
    """

    per_user: Money = _field("Cost per user of the system, per year.", default=Money(0))
    steps: tuple[CapacityStep, ...] = _field(
        "Capacity steps, smallest first (`up_to` rising, `cost` never falling).", default=()
    )
    step_basis: StepBasis = _field(
        '"largest": steps sized by the largest member\'s users; "total": by all their users.',
        default=StepBasis.LARGEST,
    )
    fixed: Money | None = _field(
        "The part paid once, whoever uses the system; default: what the other parts leave "
        "of `annual_cost`.",
        default=None,
    )


@attrs.frozen(kw_only=True)
class ProcessItem:
    """Fixed one-time process work when a candidate joins."""

    item: str = _field("What is done.")
    days: int = _field("Person-days of work, at `day_rate`.")


@attrs.frozen(kw_only=True)
class Premises:
    """The board's premises for joining (tilslutning)."""

    pc_lifetime_years: int = _bounded(
        "A PC older than this in the implementation year is replaced.", 0, 100, default=4
    )
    min_units_per_model: int = _field(
        "A PC model with fewer units than this is replaced regardless of age.", default=10
    )
    image_days_per_model: int = _field(
        "Person-days to build a standard image for each PC model kept.", default=2
    )
    day_rate: Money = _field("Price of a person-day.", default=Money(700_000))
    cabinet_capacity: int = _bounded("PCs per charging cabinet.", 1, MAX_COUNT, default=30)
    thin_clients: ThinClients = _field(
        'Whether a candidate\'s thin clients are kept or replaced by laptops: "keep" or "replace".',
        default=ThinClients.KEEP,
    )
    prices: Prices = _field("Unit prices.", factory=Prices)
    process: tuple[ProcessItem, ...] = _field("Fixed process work, one-time.", default=())


@attrs.frozen(kw_only=True)
class Invoicing:
    """How the members' contributions are invoiced on account during the year."""

    per: Period = _field(
        'Instalments a year: "year" (one), "quarter" (four) or "month" (twelve); '
        "`dikt invoices --per` overrides it.",
        default=Period.QUARTER,
    )
    remainder: Remainder = _field(
        "Which instalments take the øre left over when a line does not divide evenly "
        '(one øre each, in order): "first" or "last".',
        default=Remainder.FIRST,
    )
    due_days: int = _bounded(
        "Days from an invoice's date (the first day of its period) to its due date.",
        0,
        366,
        default=30,
    )


@attrs.frozen(kw_only=True)
class Leaving:
    """The agreement's rules for a member that leaves."""

    investments: Obligations = _field(
        "The leaving member's part of investments still being paid (those of its leaving "
        'year and later): "settle" (paid at once when it leaves) or "pay-to-end" (paid '
        "year by year as they fall due). Its part is what its key would give it had it "
        "stayed; either way the others pay only the rest.",
        default=Obligations.SETTLE,
    )


@attrs.frozen(kw_only=True)
class Merger:
    """Members that become one municipality from a date (a municipal merger)."""

    into: str = _id_from_key("The merged member's id, from the table: `[mergers.ID]`.")
    members: tuple[str, ...] = _field(
        "The members that merge (two or more); the id may be one of them."
    )
    date: dt.date = _field("When they become one (from the start of its year).")
    name: str | None = _field(
        "The merged municipality's name; default: that of the member with the merged id "
        "(required when the id is a new one).",
        default=None,
    )


@attrs.frozen(kw_only=True)
class SettlementTerms:
    """How a year is settled against its actual costs (avregning)."""

    outcome: Outcome = _field(
        "What the agreement does with a total overspend or underspend: "
        '"settle" (each member pays or gets back its part in the year) or '
        '"carry-forward" (carried into next year\'s budget, as KRS 12 allows).',
        default=Outcome.SETTLE,
    )
    unassigned_key: str | None = _field(
        "The key that shares actual costs booked to no project among all members; "
        "without it such costs are an error.",
        default=None,
    )


@attrs.frozen(kw_only=True)
class Representatives:
    """A member's representatives, as role titles (not personal names)."""

    board: str | None = _field("On the board (styret).", default=None)
    working_committee: str | None = _field(
        "On the working committee (arbeidsutvalget).", default=None
    )


@attrs.frozen(kw_only=True)
class Usage:
    """A member's use of a catalogue system."""

    system: str = _id_from_key("The catalogue system, from the table: `[systems.IT141]`.")
    users: int = _field("Users of the system at this member.")
    owner: str | None = _field("System owner (systemeier), as a role title.", default=None)
    manager: str | None = _field("System manager (systemansvarlig), as a role title.", default=None)


@attrs.frozen(kw_only=True)
class OwnSystem:
    """A deviating system run for one member alone, and paid by it alone."""

    id: str = _id_from_key("The system's id, from its table: `[own_systems.ID]`.")
    name: str = _field("The system's name.")
    domain: str = _field("The id of its domain in the cooperation.")
    annual_cost: Money = _field("Operating cost per year, paid 100 % by the member.")
    users: int = _field("Users of the system at this member.")
    vendor: str | None = _field("The vendor.", default=None)
    depends_on: tuple[str, ...] = _field(
        "Ids of catalogue systems, or of the member's other own systems, this one needs to run.",
        default=(),
    )
    contract_ends: dt.date | None = _field(
        "When the contract ends: the natural time to harmonise.", default=None
    )
    owner: str | None = _field("System owner (systemeier), as a role title.", default=None)
    manager: str | None = _field("System manager (systemansvarlig), as a role title.", default=None)


@attrs.frozen(kw_only=True)
class FleetEntry:
    """One line of a device survey (kartlegging)."""

    model: str = _field("The device model.")
    kind: Device = _field('"laptop", "desktop" or "thin-client".')
    units: int = _field("Number of units.")
    purchased: int = _year("The year the units were bought.")
    use: Use = _field('"school" or "admin".', default=Use.ADMIN)


@attrs.frozen(kw_only=True)
class Licences:
    """A municipality's client licences."""

    cal: CalKind = _field(
        '"single" (user or device CALs) or "core" (CoreCAL).', default=CalKind.CORE
    )


@attrs.frozen(kw_only=True)
class StaffGroup:
    """A candidate's IT staff who move to the cooperation when it joins."""

    role: str = _field("The role, as a title (not a personal name).")
    count: int = _field("How many people.", default=1)
    position: Fraction = _field(
        "Each one's position, as a share of full time (1: full time).", default=Fraction(1)
    )
    annual_cost: Money = _field("Their salary and administration costs together, per year.")
    system: str = _field("The catalogue system (project) their costs are booked to.")

    @property
    def fte(self) -> Fraction:
        """Full-time equivalents: ``count`` x ``position``."""
        return self.count * self.position


@attrs.frozen(kw_only=True)
class TakenOver:
    """A contract or licence of a candidate that the cooperation takes over when it joins."""

    item: str = _field("What the contract or licence is.")
    system: str = _field("The catalogue system (project) its cost is booked to.")
    annual_cost: Money = _field("Its cost per year.")


@attrs.frozen(kw_only=True)
class Transfer:
    """What a candidate brings when it joins, and the IT costs it pays today."""

    staff: tuple[StaffGroup, ...] = _field(
        "IT staff moving to the cooperation: `[[transfer.staff]]`.", default=()
    )
    contracts: tuple[TakenOver, ...] = _field(
        "Contracts and licences the cooperation takes over: `[[transfer.contracts]]`; each "
        "one's cost is added to its system's annual cost.",
        default=(),
    )
    operating_cost: Money | None = _field(
        "The candidate's other IT operating costs today, per year (neither the staff nor the "
        "contracts above): what stops when it joins.",
        default=None,
    )

    @property
    def staff_cost(self) -> Money:
        """The staff's salary and administration costs, per year."""
        return Money.sum(group.annual_cost for group in self.staff)

    @property
    def contracts_cost(self) -> Money:
        """The contracts' and licences' costs, per year."""
        return Money.sum(contract.annual_cost for contract in self.contracts)

    @property
    def today(self) -> Money:
        """The candidate's IT costs today, per year: staff, contracts and operating costs."""
        other = Money(0) if self.operating_cost is None else self.operating_cost
        return self.staff_cost + self.contracts_cost + other


@attrs.frozen(kw_only=True, repr=False)
class Member:
    """A member of the cooperation, or a candidate municipality."""

    __repr__ = summary_repr

    id: str = _id("The member's id; the file's name without `.toml`.")
    name: str = _field("The municipality's name.")
    municipality_number: str = _field("The 4-digit municipality number, as a string.")
    status: MemberStatus = _field('"member" or "candidate".')
    joined: dt.date | None = _field(
        "When it joined: it pays from that year on; for a candidate, the planned date.",
        default=None,
    )
    leaving: dt.date | None = _field(
        "When it leaves (from the start of that year), if it has given notice: it pays "
        "no contribution from that year, only its part of the investments still being "
        "paid (see [leaving]), and the plan shows what its leaving does (`dikt leave` "
        "prices any year).",
        default=None,
    )
    obligations: Mapping[str, Money] = _mapping(
        "For a member that leaves: its part of each investment still being paid, by "
        "investment id, as agreed when it gave notice: the whole agreement. dikt takes these "
        "parts as they are instead of computing them from the key (which changes with every "
        "later edit of the spec); an investment left out is the other members' alone."
    )
    population: int = _field("Inhabitants.")
    employees: int = _field("Employees.")
    users: int = _field("User identities (directory accounts), pupils included.")
    representatives: Representatives = _field(
        "Representatives in the cooperation's bodies.", factory=Representatives
    )
    systems: Mapping[str, Usage] = _mapping("Use of catalogue systems, by system id.")
    own_systems: Mapping[str, OwnSystem] = _mapping(
        "Deviating systems run for this member alone, by id."
    )
    fleet: tuple[FleetEntry, ...] = _field("The device survey.", default=())
    licences: Licences = _field("Client licences.", factory=Licences)
    transfer: Transfer = _field(
        "For a candidate: the IT staff, contracts and licences that move to the cooperation "
        "when it joins, and its IT operating costs today.",
        factory=Transfer,
    )

    @property
    def is_member(self) -> bool:
        """True for a member, False for a candidate."""
        return self.status is MemberStatus.MEMBER

    @property
    def pcs(self) -> int:
        """Units in its fleet, thin clients included (the ``pcs`` metric)."""
        return sum(entry.units for entry in self.fleet)


@attrs.frozen(kw_only=True)
class SetAside:
    """A candidate whose own file has errors, taken out of the model.

    Nothing the members compute sees it: its errors stop only the what-ifs
    with it, which :func:`dikt.check` names (W213) and which refuse to run
    (:mod:`dikt.whatif`).
    """

    id: str  #: the candidate's id: its file's name without ``.toml``
    problems: tuple[Problem, ...]  #: the errors in its file, as loading or checking found them
    #: Its joined date, where the file states a valid one: the plan prices it as a member from
    #: that year, and so stops if the date falls within the plan's years.
    joined: dt.date | None = None
    #: Whether the file has ``joined`` (a date or not): one that is not a date may mean any year.
    dated: bool = False
    #: The id the file gives, where it differs from the file's name (E009): commands and the
    #: cooperation's file may name the candidate by either.
    named: str | None = None


@attrs.frozen(kw_only=True, repr=False)
class Cooperation:
    """A cooperation: its catalogue, keys, investments, premises and members."""

    __repr__ = summary_repr

    schema: int = _bounded("The spec format version; must be 1.", 1, MAX_COUNT)
    id: str = _id("The cooperation's id.")
    name: str = _field("The cooperation's name.")
    legal_basis: str | None = _field("Its legal basis, as free text.", default=None)
    established: dt.date | None = _field("When it was established.", default=None)
    budget_year: int = _year("The year `allocate` prices by default.")
    currency: str = _field("ISO 4217 currency code, one per spec.")
    language: Language | None = _field(
        "The language dikt writes tables, reports and messages in for this spec's readers: "
        '"en" (English) or "nb" (Norwegian bokmål, with `1 234 567,89 kr`); `--lang` '
        "overrides it. Default: English. JSON and CSV are the same in every language.",
        default=None,
    )
    defaults: Defaults = _field("Default keys.", factory=Defaults)
    keys: Mapping[str, Key] = _mapping("Named allocation keys.")
    domains: Mapping[str, Domain] = _mapping("Domains (fagområder), by id.")
    systems: Mapping[str, System] = _mapping("The system catalogue, by project code.")
    investments: tuple[Investment, ...] = _field("Investments, by year.", default=())
    premises: Premises = _field("Premises for joining.", factory=Premises)
    invoicing: Invoicing = _field("Invoices on account.", factory=Invoicing)
    settlement: SettlementTerms = _field("Settlement by actual costs.", factory=SettlementTerms)
    leaving: Leaving = _field("The rules for a member that leaves.", factory=Leaving)
    mergers: Mapping[str, Merger] = _mapping(
        "Mergers of members stated in the spec, by the merged member's id: the plan "
        "shows what each does from its year (`dikt merge` prices any)."
    )
    members: Mapping[str, Member] = _field(
        "Members and candidates, one file each under `members/`.",
        factory=dict,
        converter=_frozen_mapping,
        metadata={"file": "members"},
    )
    #: Derived once, on first use, by :mod:`dikt.rules` (who uses what); a
    #: cache on a frozen object, never part of its value.
    _derived: Any = attrs.field(
        default=None, init=False, eq=False, repr=False, metadata={"internal": True}
    )
    sources: Mapping[str, str] = attrs.field(
        factory=dict,
        converter=_frozen_mapping,
        eq=False,
        repr=False,
        metadata={
            "internal": True,
            "doc": "The texts the spec was loaded from, by file (``members/ID.toml``); "
            "empty for a cooperation built in Python. They locate problems by line.",
        },
    )
    set_aside: Mapping[str, SetAside] = attrs.field(
        factory=dict,
        converter=_frozen_mapping,
        repr=False,
        metadata={
            "internal": True,
            "doc": "The candidates whose own file has errors, by id, taken out of "
            "``members`` so that the members' analyses compute "
            "(:func:`dikt.whatif.set_aside`).",
        },
    )

    @property
    def active_members(self) -> tuple[Member, ...]:
        """The members with status "member", sorted by id."""
        from dikt.rules import derived  # noqa: PLC0415 - the rules import the model

        return derived(self).active

    def key(self, name: str) -> Key | None:
        """The named key, or the built-in key of a metric name; None if unknown."""
        if name in self.keys:
            return self.keys[name]
        if name in METRICS:
            return Key(id=name, metric=Metric(name))
        return None

    def key_of(self, system: System) -> str:
        """The name of the key a system is allocated by."""
        if system.key is not None:
            return system.key
        if system.package is Package.BASE:
            return self.defaults.base_key
        return self.defaults.application_key
