"""The instruments registry (``instruments.yaml``): certificates, contracts and credits.

A claim is only worth something once: the same serial, MWh or tonne claimed twice — by
two tenants, or by a tenant and the park — is an error naming both claims (GHG Protocol
Scope 2 quality criterion 2; the founding report's one-tonne-one-entity rule). Instruments
that are merely ineligible (vintage, market, not retired) are excluded with a reason and
the assessment goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from zcp.errors import InputError, Problem, did_you_mean
from zcp.ledger.certificate_markets import market_exclusion
from zcp.ledger.profile import AccountingProfile, CreditStandard, InstrumentType
from zcp.ledger.registry_csv import RegistryImport, read_registry_csv
from zcp.ledger.serials import canonical_range, canonical_serial
from zcp.model.common import CountryCode, Identifier, MWh, Period, Strict, Tonnes
from zcp.yamlio import Document, load_yaml, parse_yaml, validate_document


class SerialRange(Strict):
    """Serials ``first``..``last`` sharing a prefix and ending in a number (inclusive),
    compared in their canonical form (:mod:`zcp.ledger.serials`)."""

    first: str
    last: str

    def bounds(self) -> tuple[str, int, int]:
        """(canonical prefix, first number, last number)."""
        a, b = canonical_range(self.first, self.last)
        return a.prefix, a.number, b.number

    def as_written(self, number: int) -> str:
        """Serial ``number`` of this range, spelt as the file spells ``first``."""
        return canonical_serial(self.first).as_written(number)

    @model_validator(mode="after")
    def _valid(self) -> SerialRange:
        self.bounds()
        return self


class GeneratorInfo(Strict):
    name: str | None = None
    technology: str | None = None
    country: CountryCode = "CN"
    grid_region: str | None = None
    asset: Identifier | None = Field(None, description="the park's own generator, if it is one")
    project_code: str | None = Field(
        None, description="registry project code (a GEC's first 17 digits: the filing code)"
    )


class Certificate(Strict):
    """An energy attribute certificate or a green-power contract (1 certificate = 1 MWh)."""

    id: Identifier
    type: InstrumentType
    serials: SerialRange | None = None
    mwh: MWh
    vintage: Period = Field(description="production months the certificates cover")
    generator: GeneratorInfo = Field(default_factory=GeneratorInfo)
    retired: bool = False
    retired_on: dt.date | None = None
    beneficiary: Identifier = Field(description="tenant id, or the park id")
    tradable: bool = Field(
        True, description="false for GECs on self-consumed power (国能发新能规〔2024〕67号)"
    )


class SupplierFactor(Strict):
    """A supplier- or utility-specific emission rate for electricity bought under contract."""

    id: Identifier
    supplier: str
    value: float = Field(ge=0, description="[tCO2/MWh]")
    mwh: MWh
    beneficiary: Identifier
    source: str


class Credit(Strict):
    """Carbon credits (1 serial = 1 tCO2e) retired for one beneficiary."""

    id: Identifier
    standard: CreditStandard
    project: str | None = None
    project_code: str | None = Field(None, description="registry project code")
    serials: SerialRange | None = None
    tonnes: Tonnes
    vintage: int = Field(ge=1990, le=2100)
    removal: bool = Field(False, description="removal (true) or avoidance (false)")
    retired: bool = False
    retired_on: dt.date | None = None
    beneficiary: Identifier


class SoldCertificate(Strict):
    """Certificates issued on the park's own generation and sold: that power becomes null."""

    id: Identifier
    type: InstrumentType
    serials: SerialRange | None = None
    mwh: MWh
    vintage: Period
    generator: Identifier | None = None


class InstrumentsFile(Strict):
    kind: Literal["instruments"]
    schema_version: Literal[1]
    certificates: list[Certificate] = Field(default_factory=list)
    supplier_factors: list[SupplierFactor] = Field(default_factory=list)
    credits: list[Credit] = Field(default_factory=list)
    sold: list[SoldCertificate] = Field(default_factory=list)
    imports: list[RegistryImport] = Field(
        default_factory=list, description="registry statements (CSV) read as certificates"
    )


@dataclass
class Instruments:
    """The registry as read, with the document for locating claims (may be empty) and,
    for certificates imported from registry statements, the file and row of each."""

    data: InstrumentsFile
    document: Document | None = None
    origins: dict[tuple[str, int], str] = field(default_factory=dict)
    #: the registry statements ``imports:`` named, as read
    import_files: list[Path] = field(default_factory=list)

    def files(self) -> list[Path]:
        """Every file these instruments were read from: instruments.yaml and the registry
        statements it imports (none when there is no instruments file)."""
        if self.document is None:
            return []
        return [self.document.path, *self.import_files]

    def where(self, section: str, index: int) -> str:
        if (section, index) in self.origins:
            return self.origins[(section, index)]
        if self.document is None:
            return f"{section}[{index}] (added)"
        line, _ = self.document.where((section, index))
        return f"{self.document.path.name}:{line}" if line else self.document.path.name

    def with_extra(
        self,
        certificates: Sequence[Certificate] = (),
        credits: Sequence[Credit] = (),
    ) -> Instruments:
        """A copy with hypothetical instruments added (what-ifs); the file is untouched."""
        data = self.data.model_copy(
            update={
                "certificates": [*self.data.certificates, *certificates],
                "credits": [*self.data.credits, *credits],
            }
        )
        return Instruments(data, self.document, self.origins, self.import_files)


EMPTY = InstrumentsFile(kind="instruments", schema_version=1)


def load_instruments(path: Path) -> Instruments:
    """Read ``instruments.yaml``; a missing file means no instruments."""
    if not path.is_file():
        return Instruments(EMPTY.model_copy(), None)
    doc = load_yaml(path)
    return _validate(doc)


def parse_instruments(text: str, name: str = "instruments.yaml") -> Instruments:
    return _validate(parse_yaml(text, name))


def _validate(doc: Document) -> Instruments:
    data = validate_document(doc, InstrumentsFile, "instruments")
    origins: dict[tuple[str, int], str] = {}
    problems: list[Problem] = []
    import_files: list[Path] = []
    for i, spec in enumerate(data.imports):
        where = doc.problem("", ("imports", i, "path"))
        csv_path = (doc.path.parent / spec.path).resolve()
        if Path(spec.path).is_absolute() or not csv_path.is_relative_to(doc.path.parent.resolve()):
            problems.append(replace(where, message=f"path {spec.path!r} leaves the park folder"))
            continue
        if not csv_path.is_file():
            problems.append(replace(where, message=f"registry statement {spec.path!r} not found"))
            continue
        import_files.append(csv_path)
        try:
            rows = read_registry_csv(csv_path, spec, csv_path.stem)
        except InputError as exc:
            problems += exc.problems
            continue
        for row in rows:
            number = row.pop("_row")
            try:
                cert = Certificate.model_validate(row)
            except ValidationError as exc:
                problems.append(Problem(exc.errors()[0]["msg"], path=str(csv_path), line=number))
                continue
            origins[("certificates", len(data.certificates))] = f"{csv_path.name}:row {number}"
            data.certificates.append(cert)
    if problems:
        raise InputError(problems)
    return Instruments(data, doc, origins, import_files)


# --- double claims ---------------------------------------------------------------------


def double_claims(reg: Instruments, known_beneficiaries: set[str]) -> list[Problem]:
    """Every serial claimed twice and every id used twice, each naming both claims."""
    problems: list[Problem] = []
    path = str(reg.document.path) if reg.document else None
    seen_ids: dict[str, str] = {}
    # family, canonical prefix, lo, hi, who, where, the range as written
    ranges: list[tuple[str, str, int, int, str, str, SerialRange]] = []
    sections: tuple[
        tuple[str, Sequence[Certificate | Credit | SoldCertificate | SupplierFactor], str | None],
        ...,
    ] = (
        ("certificates", reg.data.certificates, "certificate"),
        ("credits", reg.data.credits, "credit"),
        ("sold", reg.data.sold, "certificate"),
        ("supplier_factors", reg.data.supplier_factors, None),
    )
    for section, items, family in sections:
        for i, item in enumerate(items):
            where = reg.where(section, i)
            line = _line(reg, section, i)
            who = getattr(item, "beneficiary", "sold")
            if item.id in seen_ids:
                problems.append(
                    Problem(
                        f"instrument id {item.id!r} claimed twice: here and at {seen_ids[item.id]}",
                        path=path,
                        line=line,
                        field=f"{section}[{i}].id",
                    )
                )
            seen_ids.setdefault(item.id, where)
            if who != "sold" and who not in known_beneficiaries:
                problems.append(
                    Problem(
                        f"unknown beneficiary {who!r}",
                        path=path,
                        line=line,
                        field=f"{section}[{i}].beneficiary",
                        hint=did_you_mean(who, known_beneficiaries) or "a tenant id or the park id",
                    )
                )
            serials = getattr(item, "serials", None)
            if family is None or serials is None:
                continue
            prefix, lo, hi = serials.bounds()
            count = hi - lo + 1
            amount = getattr(item, "mwh", None) or getattr(item, "tonnes", 0.0)
            if abs(count - amount) > 1e-6:
                unit = "MWh" if family == "certificate" else "t"
                problems.append(
                    Problem(
                        f"{count} serials but {amount:g} {unit} (one serial is one {unit})",
                        path=path,
                        line=line,
                        field=f"{section}[{i}].serials",
                    )
                )
            ranges.append((family, prefix, lo, hi, f"{item.id} ({who})", where, serials))
    ranges.sort(key=lambda r: r[:4])
    for i, (fam, prefix, lo, hi, who, where, written) in enumerate(ranges):
        for fam2, prefix2, lo2, hi2, who2, where2, written2 in ranges[i + 1 :]:
            if (fam2, prefix2) != (fam, prefix) or lo2 > hi:
                break
            first, last = max(lo, lo2), min(hi, hi2)
            mine = f"{written.as_written(first)}..{written.as_written(last)}"
            theirs = f"{written2.as_written(first)}..{written2.as_written(last)}"
            spelt = "" if mine == theirs else f" (written {theirs} there)"
            problems.append(
                Problem(
                    f"serials {mine} claimed twice: by {who} at {where} "
                    f"and by {who2} at {where2}{spelt}",
                    path=path,
                    hint="each serial (MWh or tonne) may be claimed by one entity only; serials "
                    "compare without case, spaces, separators or zero padding",
                )
            )
    return problems


def _line(reg: Instruments, section: str, index: int) -> int | None:
    if (section, index) in reg.origins:  # imported: ``where`` names the CSV row
        return None
    return reg.document.where((section, index))[0] if reg.document else None


# --- eligibility -----------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    return dt.date(day.year + m // 12, m % 12 + 1, 1)


def certificate_exclusion(
    cert: Certificate,
    profile: AccountingProfile,
    period: Period,
    consumer_country: str | None = None,
) -> str | None:
    """Why a certificate may not be used under ``profile`` for ``period`` by an entity in
    ``consumer_country`` (default: the profile's market), or None."""
    rules = profile.certificates
    if cert.type not in rules.types:
        return f"type {cert.type} is not accepted by profile {profile.id}"
    outside = market_exclusion(cert.type, cert.generator.country, consumer_country or rules.market)
    if outside:
        return outside
    earliest = _add_months(period.start, -rules.vintage_window.months_before)
    latest_start = _add_months(period.end, rules.vintage_window.months_after + 1)
    if cert.vintage.end < earliest or cert.vintage.start >= latest_start:
        return (
            f"vintage {cert.vintage.start}..{cert.vintage.end} outside the window "
            f"{earliest}..{latest_start - dt.timedelta(days=1)}"
        )
    if rules.require_retired and not cert.retired:
        return "not retired for the beneficiary"
    return None


def credit_exclusion(credit: Credit, profile: AccountingProfile, period: Period) -> str | None:
    rules = profile.credits
    if credit.standard not in rules.standards:
        return f"standard {credit.standard} is not accepted by profile {profile.id}"
    if credit.vintage < period.start.year - rules.vintage_years_before:
        return f"vintage {credit.vintage} older than {rules.vintage_years_before} years"
    if credit.vintage > period.end.year:
        return f"vintage {credit.vintage} after the reporting period"
    if rules.require_retired and not credit.retired:
        return "not retired for the beneficiary"
    return None
