"""The ledger's entry point: a park folder and a profile in, a ``LedgerResult`` out.

``Ledger`` prepares everything that does not change between runs (topology, time frame,
factors, the instruments and activity files, the scanned readings) so that what-if runs —
hypothetical certificates or extra generation for the rule engine's gap analysis — redo
only the cheap arithmetic (see :mod:`zcp.ledger.whatif`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from zcp.errors import InputError, Problem, did_you_mean
from zcp.factors import FactorLibrary, default_library
from zcp.ledger.activity import ACTIVITY_FILE, Activity, GreenPowerContract, load_activity
from zcp.ledger.activity_checks import activity_problems
from zcp.ledger.activity_limits import amount_problems
from zcp.ledger.aggregate import Aggregates, metered_aggregates, modelled_aggregates
from zcp.ledger.assessment_settings import claim_date, materiality_threshold
from zcp.ledger.build_inventory import account
from zcp.ledger.electricity import GridFactors
from zcp.ledger.entity_factors import entity_grid_factors
from zcp.ledger.factor_choice import FactorOverride
from zcp.ledger.fixed_parts import FixedParts, fixed_parts
from zcp.ledger.hourly_factors import hourly_series_read, with_hourly_location
from zcp.ledger.instruments import (
    Instruments,
    double_claims,
    load_instruments,
)
from zcp.ledger.matching import Matching
from zcp.ledger.profile import DEFAULT_PROFILE, AccountingProfile, load_profile
from zcp.ledger.registry_rules import gec_ccer_conflicts, unserialled_double_claims
from zcp.ledger.result import LedgerResult
from zcp.ledger.steam_flows import steam_flow_problems
from zcp.ledger.topology import CLEAN_TECHNOLOGIES, flow_roles
from zcp.ledger.windows import make_windows
from zcp.model import ParkFolder, load_park
from zcp.model.park import Generator
from zcp.yamlio import Document

if TYPE_CHECKING:
    from zcp.metering import MeterData


class Ledger:
    """Prepared accounting for one park under one profile."""

    def __init__(
        self,
        park: ParkFolder | str | Path,
        *,
        profile: AccountingProfile | str | None = None,
        factors: str | None = None,
        readings: MeterData | None = None,
        library: FactorLibrary | None = None,
        instruments: Instruments | None = None,
        activity: Activity | None = None,
    ) -> None:
        self.folder = park if isinstance(park, ParkFolder) else load_park(park)
        self.profile = (
            profile
            if isinstance(profile, AccountingProfile)
            else load_profile(profile or DEFAULT_PROFILE)
        )
        self.override = FactorOverride.parse(factors)
        self.library = library or default_library()
        self.roles = flow_roles(self.folder)
        self.windows = make_windows(self.folder)
        root = self.folder.root
        self.instruments = instruments or load_instruments(root / self.folder.park.instruments_file)
        self.activity = activity or load_activity(root / ACTIVITY_FILE)
        self.readings = readings if readings is not None else _load_readings(self.folder)
        self.warnings: list[str] = []
        self.materiality = materiality_threshold(self.folder)
        # a design-stage park's instruments are planned: only operating parks claim on a date
        operating = self.folder.park.stage == "operation"
        self.claim_date = claim_date(self.folder) if operating else None
        self._check_inputs()
        self.grid_factors = self._grid_factors()
        self._base: tuple[Aggregates, Matching] | None = None
        self._fixed: FixedParts | None = None

    # -- preparation --------------------------------------------------------------------
    def files_read(self) -> list[Path]:
        """The park files this ledger read: instruments and activity (with the tables,
        registry statements and supplier disclosures they list), the assessment file
        (materiality, claim date) and the hourly grid-factor series its profile prices with."""
        files = self.instruments.files() + self.activity.files()
        assessment = self.folder.resolve(self.folder.park.assessment_file)
        if assessment.is_file():
            files.append(assessment)
        hourly = hourly_series_read(self.folder, self.profile)
        return files + ([hourly] if hourly is not None else [])

    def _known(self) -> set[str]:
        return {t.id for t in self.folder.park.tenants} | {self.folder.park.id}

    def _check_inputs(self) -> None:
        problems = double_claims(self.instruments, self._known())
        problems += unserialled_double_claims(self.instruments)
        problems += gec_ccer_conflicts(self.instruments)
        problems += activity_problems(self.activity, self.folder, self.library, self._known())
        problems += self._contract_problems()
        problems += amount_problems(self.activity, self.folder.carriers, self.library)
        problems += [p for p in steam_flow_problems(self.folder) if p.severity == "error"]
        if problems:
            raise InputError(problems)

    def _contract_problems(self) -> list[Problem]:
        doc, problems = self.activity.document, []
        tenants = {t.id for t in self.folder.park.tenants}
        clean = {
            a.id
            for a in self.folder.park.assets
            if isinstance(a, Generator) and a.technology in CLEAN_TECHNOLOGIES
        }
        shares: dict[str, float] = {}
        for i, c in enumerate(self.activity.data.green_power_contracts):
            if c.entity not in tenants:
                problems.append(
                    _where(
                        doc,
                        f"unknown tenant {c.entity!r}",
                        "green_power_contracts",
                        i,
                        hint=did_you_mean(c.entity, tenants),
                    )  # fmt: skip
                )
            if c.generator not in clean:
                problems.append(
                    _where(
                        doc,
                        f"{c.generator!r} is not a clean generator of the park",
                        "green_power_contracts",
                        i,
                    )  # fmt: skip
                )
            shares[c.generator] = shares.get(c.generator, 0.0) + c.share
        for gen, total in shares.items():
            if total > 1 + 1e-9:
                problems.append(
                    Problem(f"contracts give away {total:.0%} of {gen!r}", path=_path(doc))
                )
        return problems

    def _grid_factors(self) -> dict[str, GridFactors]:
        factors = entity_grid_factors(
            self.folder, self.library, self.profile, self.windows.periods, self.override
        )
        factors, notes = with_hourly_location(factors, self.folder, self.profile, self.windows)
        self.warnings.extend(notes)
        return factors

    def contracts(self) -> list[GreenPowerContract]:
        return list(self.activity.data.green_power_contracts)

    def sold_mwh(self) -> float:
        """Green certificates the park sold on [MWh]: their power is no longer green here."""
        return float(sum(s.mwh for s in self.instruments.data.sold))

    def base(self) -> tuple[Aggregates, Matching]:
        """Hourly aggregates and matching [MWh per hour] (computed once; the expensive part)."""
        if self._base is None:
            if self.readings is None and self.folder.park.stage == "operation":
                self.warnings.append(
                    "operating park without readings: figures come from design estimates"
                )
            if self.readings is None:
                self._base = modelled_aggregates(
                    self.folder, self.roles, self.windows, self.sold_mwh(), self.contracts()
                )
            else:
                self._base = metered_aggregates(
                    self.folder,
                    self.roles,
                    self.windows,
                    self.readings,
                    self.sold_mwh(),
                    self.contracts(),
                )
        return self._base

    # -- runs ---------------------------------------------------------------------------
    def result(self) -> LedgerResult:
        """The inventory under this ledger's profile (emissions [tCO2e], energy [MWh],
        [tce]: the units :class:`~zcp.ledger.result.LedgerResult` documents)."""
        agg, m = self.base()
        return self.account(agg, m, self.instruments)

    def account(self, agg: Aggregates, m: Matching, instruments: Instruments) -> LedgerResult:
        """The inventory from (possibly changed) aggregates, matching and instruments, over
        what this ledger prepared — what-if runs call this with their changes (``agg`` and
        ``m`` hourly [MWh]; the result in the units ``LedgerResult`` documents)."""
        return account(
            agg,
            m,
            instruments,
            folder=self.folder,
            profile=self.profile,
            windows=self.windows,
            roles=self.roles,
            grid_factors=self.grid_factors,
            library=self.library,
            activity=self.activity,
            materiality=self.materiality,
            claim_date=self.claim_date,
            warnings=self.warnings,
            fixed=self._fixed_parts(agg),
        )

    def _fixed_parts(self, agg: Aggregates) -> FixedParts:
        """The parts of an inventory no what-if changes, made once for the flows table
        every run over this ledger shares (a changed table gets its own)."""
        if self._fixed is None or self._fixed.flows is not agg.flows:
            fixed = fixed_parts(agg, folder=self.folder, profile=self.profile,
                                windows=self.windows, roles=self.roles, library=self.library,
                                activity=self.activity)  # fmt: skip
            if self._base is not None and agg.flows is self._base[0].flows:
                self._fixed = fixed
            return fixed
        return self._fixed


def run_ledger(park: ParkFolder | str | Path, **options: Any) -> LedgerResult:
    """Account a park: ``run_ledger("assessments/ordos-design", profile="ghg-protocol-corporate")``
    (totals [tCO2e]; the tables' units are documented on ``LedgerResult``)."""
    return Ledger(park, **options).result()


def _load_readings(folder: ParkFolder) -> MeterData | None:
    """The park's readings, or None for a park that names none (a design: the ledger then
    uses design estimates and says so). Imported here, not at the top: reading meters pulls
    in DuckDB and Arrow, which a design-stage run never needs."""
    if not folder.park.readings:
        return None
    from zcp.metering import load_readings

    return load_readings(folder)


def _path(doc: Document | None) -> str | None:
    return str(doc.path) if doc is not None else None


def _where(
    doc: Document | None, message: str, section: str, index: int, hint: str | None = None
) -> Problem:
    if doc is None:
        return Problem(message, field=f"{section}[{index}]", hint=hint)
    return doc.problem(message, (section, index, "entity"), hint=hint)
