"""What a report shows, as one plain data structure (``ReportData``).

The templates read only this structure, so a report can be rendered from a hand-made
fixture as well as from a real assessment, and the assembly from the accounting, rule and
data-quality modules stays in one place (:mod:`zcp.report.assemble`). A section whose
source is not available is ``None`` and renders as a labelled "not available" section,
never as made-up numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zcp.report.bilingual import Bilingual, bi  # noqa: F401 — re-exported: other modules import them from here

if TYPE_CHECKING:
    from zcp.report.certification_data import CertificationData

from zcp.report.phrases import Said


@dataclass(frozen=True)
class Column:
    key: str
    label: Bilingual
    unit: str | None = None
    numeric: bool = False
    digits: int = 1  # decimals shown for numeric cells


@dataclass
class Table:
    """A table shown top-N in the report and attached in full as CSV (``<id>.csv``)."""

    id: str
    title: Bilingual
    columns: list[Column]
    rows: list[dict[str, Any]]
    top_n: int | None = None  # rows shown in the body; None shows all

    @property
    def shown(self) -> list[dict[str, Any]]:
        return self.rows if self.top_n is None else self.rows[: self.top_n]

    @property
    def hidden_count(self) -> int:
        return len(self.rows) - len(self.shown)


@dataclass(frozen=True)
class RuleSetRef:
    id: str
    version: str
    title: Bilingual
    sha256: str | None = None
    accounting_profile: str | None = None


@dataclass
class Cover:
    park_id: str
    park_name: Bilingual
    location: str
    period_start: dt.date
    period_end: dt.date
    stage: str
    report_date: dt.date
    rule_sets: list[RuleSetRef] = field(default_factory=list)
    acceptance_stage: str | None = None  # assessment.yaml: the national park process step
    accounting_profile: str | None = None
    certification_body: str | Bilingual | None = None  # Bilingual: name and name_en
    assessor: str | Bilingual | None = None


@dataclass(frozen=True)
class OtherMethodFigure:
    """An indicator under the electricity → tce method the rule set did not choose."""

    method: Said | str
    value: float | None  # [unit]; None: not computable, see reason
    unit: str | None
    reason: Said | str | None = None


@dataclass
class KeyIndicator:
    title: Bilingual
    actual: float | None
    threshold: str | None  # as written, e.g. "≥ 90" — thresholds may be ranges
    unit: str | None
    status: str
    provisional: bool = False
    other_method: OtherMethodFigure | None = None


@dataclass
class Summary:
    level: Bilingual | None
    score: float | None
    max_score: float | None
    net_emissions: float | None  # [t CO2e]
    indicators: list[KeyIndicator] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)
    provisional_items: list[str] = field(default_factory=list)
    subjects: list[SubjectSummary] = field(default_factory=list)


@dataclass
class BarSeries:
    """Bars for one chart: labels and values in one unit, already sorted for display."""

    title: Bilingual
    unit: Bilingual | str
    labels: list[Bilingual | str]  # park names and phrases: shown in the report's language
    values: list[float]

    def texts(self, lang: str) -> tuple[str, list[str]]:
        """(unit, labels) in ``lang``."""

        def pick(x: Bilingual | str) -> str:
            return x.get(lang) if isinstance(x, Bilingual) else x

        return pick(self.unit), [pick(x) for x in self.labels]


@dataclass
class Emissions:
    total: float  # [t CO2e] gross
    net: float | None  # [t CO2e] after instruments
    by_scope: Table
    by_carrier: Table
    by_tenant: Table
    by_month: Table
    #: bar charts keyed like the tables: "by_scope", "by_carrier", "by_tenant", "by_month"
    charts: dict[str, BarSeries] = field(default_factory=dict)
    net_basis: Said | str | None = None  # how net is formed, as the ledger states it
    basis: Said | str | None = None  # "metered" | "modelled"
    #: the ledger's emissions per industrial value added [tCO2/wan_CNY]; None with the reason
    per_value_added: float | None = None
    per_value_added_note: Said | None = None


@dataclass
class GreenPower:
    consumption: float  # [MWh]
    annual_share: float | None  # [fraction] annual volume matching
    hourly_share: float | None  # [fraction] hour-by-hour matching
    #: matched fraction per day (rows, 1..365) and hour (columns, 0..23); None = no data
    heat_map: list[list[float | None]] | None = None
    table: Table | None = None
    note: Said | str | None = None  # e.g. how hourly shapes were modelled


@dataclass
class InstrumentRow:
    id: str
    kind: str
    quantity: float | None
    unit: str | None
    vintage: str | None
    status: str  # "retired" | "excluded"
    reason: Said | Bilingual | None = None
    retired_on: dt.date | None = None
    retired_after_assessment: bool = False  # retired after the assessment date: flagged


@dataclass
class RuleRow:
    id: str
    title: Bilingual
    clause: str
    status: str
    why: Said | str  # composed in both languages (zcp.report.explain); str in fixtures
    actual: float | None = None
    threshold: str | None = None
    unit: str | None = None
    margin: float | None = None
    evidence: list[str] = field(default_factory=list)
    provisional: bool = False
    kind: str = "indicator"
    #: the margin is smaller than the share of the totals resting on unmeasured data
    within_uncertainty: bool = False
    other_method: OtherMethodFigure | None = None


@dataclass
class RuleSetSection:
    ref: RuleSetRef
    rules: list[RuleRow]
    level: Bilingual | None = None
    points: float | None = None
    max_points: float | None = None
    subject: str | None = None  # tenant id of a factory rating; None: the park
    subject_name: Bilingual | None = None

    @property
    def applicable(self) -> list[RuleRow]:
        return [r for r in self.rules if r.status != "not_applicable"]

    @property
    def not_applicable(self) -> list[RuleRow]:
        return [r for r in self.rules if r.status == "not_applicable"]


@dataclass
class SubjectSummary:
    """The verdicts about one subject: the park, or one rated factory (a tenant)."""

    subject: str | None  # tenant id; None: the park
    name: Bilingual
    rule_sets: list[RuleSetSection]
    indicators: list[KeyIndicator] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)


@dataclass
class GapRow:
    rule_id: str
    title: Bilingual
    shortfall: float | None
    unit: str | None
    action: Said | Bilingual  # one line per lever that closes the gap, or the reason
    subject: str | None = None  # tenant id of a factory rating; None: the park
    subject_name: Bilingual | None = None
    rule_set: str | None = None


@dataclass
class DataQuality:
    summary: Table | None
    note: Bilingual | None = None  # e.g. "this park names no readings"
    shown: list[Table] = field(default_factory=list)  # printed after the summary
    details: list[Table] = field(default_factory=list)  # attached in full, not printed


@dataclass
class FactorRow:
    id: str
    quantity: str
    value: float
    unit: str
    source: str
    valid: str
    confidence: str
    rule: Said | str | None = None  # why this factor was chosen (the ledger's selection rule)


@dataclass
class InventoryChecks:
    """What a verifier checks before any verdict: entities reporting over another period,
    each stated figure against the computed one, the factors the user stated, and the lines
    counted as zero or estimated."""

    other_periods: Table | None = None
    reconciliation: Table | None = None
    materiality: float | None = None  # [fraction]
    materiality_source: Said | str | None = None
    material_count: int = 0  # reconciliation lines beyond the materiality threshold
    overrides: Table | None = None
    uncounted: Table | None = None  # lines counted as zero, with the reason
    estimated: Table | None = None  # lines resting on the user's estimates

    def tables(self) -> list[Table]:
        parts = (self.other_periods, self.reconciliation, self.overrides, self.uncounted,
                 self.estimated)  # fmt: skip
        return [t for t in parts if t]


@dataclass(frozen=True)
class FileHash:
    role: str  # "input" | "rule_set" | "factors"
    path: str
    sha256: str
    #: read by the assessment; False: a park file only in the folder (hashed, not used)
    read: bool = True


@dataclass
class ReportData:
    """Everything a report shows. ``None`` sections render as "not available"."""

    cover: Cover
    summary: Summary | None = None
    #: SVG text from zcp.graph per report language ("zh", "en"), embedded as an image
    flow_diagram_svg: dict[str, str] | None = None
    flow_diagram_error: str | None = None  # why the drawing failed, printed in its place
    emissions: Emissions | None = None
    green_power: GreenPower | None = None
    instruments: list[InstrumentRow] | None = None
    rule_sets: list[RuleSetSection] | None = None
    gaps: list[GapRow] | None = None
    gap_levers: bool = True  # whether the lever gap analysis ran (``--no-gaps`` skips it)
    data_quality: DataQuality | None = None
    factors: list[FactorRow] | None = None
    profile: Table | None = None  # the accounting profile's method choices
    #: each total split by the basis of its data (metered, imputed, estimated, stated)
    data_basis: Table | None = None
    uncertain_share: float | None = None  # [fraction] the largest unmeasured share of a total
    #: meter-hours with no reading (zcp.report.uncertainty.MissingHours; typed Any: that
    #: module imports this one)
    missing_hours: Any = None
    uncertain_verdicts: int = 0  # verdicts marked within uncertainty
    comparison: Any = None  # zcp.report.comparison.Comparison with a previous result
    files: list[FileHash] = field(default_factory=list)
    zcp_version: str = ""
    #: the result JSON (follows zcp/schemas/result.schema.json) embedded in the report
    result: dict[str, Any] | None = None
    extra_tables: list[Table] = field(default_factory=list)  # attached only
    #: engagement, opinions, findings, evidence register, signers (templates/certification/)
    certification: CertificationData | None = None
    #: reconciliation, user factors, other periods (templates/inventory/)
    inventory: InventoryChecks | None = None
    #: least-cost plans ``zcp assess --plan`` asked for (templates/plan/; zcp.plan.PlanResult)
    plans: list[Any] = field(default_factory=list)

    def tables(self) -> list[Table]:
        """Every table that is attached as CSV, in a stable order."""
        out: list[Table] = []
        if self.emissions:
            e = self.emissions
            out += [e.by_scope, e.by_carrier, e.by_tenant, e.by_month]
        if self.green_power and self.green_power.table:
            out.append(self.green_power.table)
        if self.data_quality:
            dq = self.data_quality
            out += [*([dq.summary] if dq.summary else []), *dq.shown, *dq.details]
        if self.profile:
            out.append(self.profile)
        if self.data_basis:
            out.append(self.data_basis)
        if self.inventory:
            out += self.inventory.tables()
        return out + self.extra_tables
