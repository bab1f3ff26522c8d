"""A park folder: the files that describe one park, read and checked as a whole.

Layout (all paths inside are relative to the folder, and may not leave it)::

    park.yaml          kind: park — the park, its tenants, assets, flows and meters
    meters.csv         optional, named by park.yaml `meters_file:` (large parks)
    readings/...       meter readings (CSV/Parquet), named by park.yaml `readings:`
    instruments.yaml   kind: instruments — certificates and carbon credits
    assessment.yaml    kind: assessment — rule sets, assessor answers, evidence
    evidence/          documents the assessment refers to
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from zcp.errors import InputError, ParkError, Problem
from zcp.hashing import hash_park_inputs, park_input_files
from zcp.limits import ANY_QUANTITY_CEILING, QUANTITY_CEILINGS
from zcp.model.carriers import Carriers
from zcp.model.meter_columns import METER_COLUMNS, METER_SHEET
from zcp.model.park import Meter, Park, Tenant
from zcp.model.references import reference_problems
from zcp.tables import Table, read_table
from zcp.units import parse_quantity
from zcp.yamlio import Document, load_yaml, validate_document

PARK_FILE = "park.yaml"
EVIDENCE_DIR = "evidence"
SCHEMA_VERSIONS = {"park": [1]}


@dataclass(eq=False)  # identity: caches key on the loaded folder
class ParkFolder:
    """A validated park and where each of its parts was written."""

    root: Path
    park: Park
    carriers: Carriers
    document: Document
    #: meter id → 1-based CSV row, when meters come from ``meters_file``
    meter_rows: dict[int, int] = field(default_factory=dict)
    #: the ``meters_file`` table as read (for locating a column), when there is one
    meter_table: Table | None = None
    #: flow id → design-stage annual estimate in the carrier's unit
    annual_estimates: dict[str, float] = field(default_factory=dict)
    #: (the park it was built from, tenant id → position in ``park.tenants``)
    _tenant_positions: tuple[Park, dict[str, int]] | None = field(
        default=None, init=False, repr=False
    )

    # -- tenants by id ------------------------------------------------------------------
    def tenant_position(self, tenant_id: str) -> int | None:
        """Where the tenant is in ``park.tenants``, or None. Built once per park object:
        a scan of the list per lookup made validating a park of 190,000 tenants take
        hours (a lookup per entity and per certificate)."""
        if self._tenant_positions is None or self._tenant_positions[0] is not self.park:
            positions = {t.id: i for i, t in reversed(list(enumerate(self.park.tenants)))}
            self._tenant_positions = (self.park, positions)
        return self._tenant_positions[1].get(tenant_id)

    def tenant(self, tenant_id: str) -> Tenant | None:
        """The tenant with this id (the first, if an invalid park repeats it), or None."""
        position = self.tenant_position(tenant_id)
        return None if position is None else self.park.tenants[position]

    # -- locating problems ------------------------------------------------------------
    def locate(self, section: str, index: int) -> str:
        """``park.yaml:12`` or ``meters.csv:row 40`` for an entry of a section."""
        if section == "meters" and index in self.meter_rows:
            return f"{self.park.meters_file}:row {self.meter_rows[index]}"
        line, _ = self.document.where((section, index))
        return f"{PARK_FILE}:{line}" if line else PARK_FILE

    def problem(
        self,
        section: str,
        index: int,
        field_name: str,
        message: str,
        hint: str | None = None,
        severity: str = "error",
    ) -> Problem:
        if section == "meters" and index in self.meter_rows and self.meter_table is not None:
            key = "register" if field_name == "register_kind" else field_name
            return self.meter_table.problem(
                message, self.meter_rows[index], key, hint=hint, severity=severity
            )
        loc = (section, index, field_name)
        line, col = self.document.where(loc)
        return Problem(
            message,
            path=str(self.document.path),
            line=line,
            col=col,
            field=f"{section}[{index}].{field_name}",
            hint=hint,
            severity=severity,
        )

    # -- files --------------------------------------------------------------------------
    def resolve(self, relative: str) -> Path:
        """A path named in a park file, refused if it is absolute or leaves the folder
        (``..``, or a symlink on the way that points out of it)."""
        return contained_path(self.root, relative)

    def input_files(self) -> list[Path]:
        """Every file in the folder that an assessment counts (see :mod:`zcp.hashing`)."""
        return park_input_files(self.root)

    def input_hashes(self) -> dict[str, str]:
        return hash_park_inputs(self.root)


def load_park(folder: str | Path) -> ParkFolder:
    """Read and check a park folder. Raises ``ParkError`` listing every problem found."""
    root = Path(folder)
    if not root.exists():
        raise ParkError(Problem("park folder not found", path=str(root), hint=_nearby(root)))
    if not root.is_dir():
        raise ParkError(
            Problem("not a folder", path=str(root), hint="give the folder that holds park.yaml")
        )
    document = load_yaml(root / PARK_FILE)
    park = validate_document(document, Park, "park", SCHEMA_VERSIONS["park"], ParkError)

    pf = ParkFolder(root=root, park=park, carriers=Carriers.shipped(), document=document)
    try:
        pf.carriers = Carriers.shipped().with_extra(park.carriers)
    except (ValueError, InputError) as exc:
        raise ParkError(document.problem(str(exc), ("carriers",))) from None
    contained = path_problems(pf)
    if contained:
        raise ParkError(contained)
    if park.meters_file:
        _read_meters_file(pf)
    problems = reference_problems(pf)
    problems += _convert_estimates(pf)
    if problems:
        raise ParkError(problems)
    return pf


def contained_path(root: Path, relative: str) -> Path:
    """``root / relative`` with every symlink followed; ``ValueError`` if it is absolute or
    ends up outside ``root``."""
    candidate = Path(relative)
    if candidate.is_absolute() or candidate.drive:
        raise ValueError(f"path {relative!r} must be relative to the park folder")
    resolved = (root / candidate).resolve()
    if not resolved.is_relative_to(root.resolve()):
        via = " through a symlink" if ".." not in candidate.parts else ""
        raise ValueError(f"path {relative!r} leaves the park folder{via}")
    return resolved


def _nearby(root: Path) -> str | None:
    """A did-you-mean among the park folders beside a misspelt one (those with park.yaml)."""
    parent = root.parent
    if not parent.is_dir():
        return None
    siblings = {p.name: p for p in parent.iterdir() if (p / PARK_FILE).is_file()}
    close = difflib.get_close_matches(root.name, list(siblings), n=1, cutoff=0.6)
    return f"did you mean '{siblings[close[0]]}'?" if close else None


def path_problems(pf: ParkFolder) -> list[Problem]:
    """Every path park.yaml names must stay inside the folder, and no file or folder in
    it may be a symlink that points out (evidence included): what is read is what is
    hashed."""
    park = pf.park
    named: list[tuple[tuple[str | int, ...], str]] = [
        (("instruments_file",), park.instruments_file),
        (("assessment_file",), park.assessment_file),
    ]
    if park.meters_file:
        named.append((("meters_file",), park.meters_file))
    named += [(("readings", i, "path"), r.path) for i, r in enumerate(park.readings)]
    hourly = park.grid_factors.location_hourly if park.grid_factors else None
    if hourly is not None:
        named.append((("grid_factors", "location_hourly", "file"), hourly.file))
    problems = []
    for loc, relative in named:
        try:
            contained_path(pf.root, relative)
        except ValueError as exc:
            problems.append(pf.document.problem(str(exc), loc))
    return problems + escaping_symlinks(pf.root)


def escaping_symlinks(root: Path) -> list[Problem]:
    """A problem for each symlink in ``root`` (hidden entries aside, as they are never read)
    whose target lies outside it."""
    inside = root.resolve()
    problems = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(dirs) + sorted(f for f in files if not f.startswith(".")):
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                problems.append(
                    Problem(
                        f"symlink points outside the park folder (to {os.readlink(path)})",
                        path=str(path),
                        hint="copy the file into the folder; only files inside it are hashed",
                    )
                )
    return problems


def _read_meters_file(pf: ParkFolder) -> None:
    """Meters from a CSV or .xlsx table; errors name file, sheet, row and column."""
    try:
        path = pf.resolve(pf.park.meters_file or "")
    except ValueError as exc:
        raise ParkError(pf.document.problem(str(exc), ("meters_file",))) from None
    if not path.is_file():
        raise ParkError(
            pf.document.problem(f"meters file {pf.park.meters_file!r} not found", ("meters_file",))
        )
    try:
        table = read_table(path, METER_COLUMNS, default_sheet=METER_SHEET)
    except InputError as exc:
        raise ParkError(exc.problems) from None
    pf.meter_table = table
    problems: list[Problem] = []
    for row in table.rows:
        try:
            meter = Meter.model_validate(row.cells)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                key = str(err["loc"][0]) if err["loc"] else None
                key = "register" if key == "register_kind" else key
                problems.append(table.problem(err["msg"], row.number, key))
            continue
        pf.meter_rows[len(pf.park.meters)] = row.number
        pf.park.meters.append(meter)
    if problems:
        raise ParkError(problems)


def _convert_estimates(pf: ParkFolder) -> list[Problem]:
    problems = []
    for i, flow in enumerate(pf.park.flows):
        if flow.annual_estimate is None or flow.carrier not in pf.carriers:
            continue
        unit = pf.carriers[flow.carrier].unit
        try:
            pf.annual_estimates[flow.id] = parse_quantity(flow.annual_estimate, unit)
        except ValueError as exc:
            problems.append(pf.problem("flows", i, "annual_estimate", str(exc)))
            continue
        ceiling = QUANTITY_CEILINGS.get(unit, ANY_QUANTITY_CEILING)
        if pf.annual_estimates[flow.id] < 0:
            problems.append(pf.problem("flows", i, "annual_estimate", "must not be negative"))
        elif pf.annual_estimates[flow.id] > ceiling:
            problems.append(
                pf.problem(
                    "flows",
                    i,
                    "annual_estimate",
                    f"{pf.annual_estimates[flow.id]:g} {unit} is beyond any park "
                    f"(at most {ceiling:g} {unit})",
                    hint="check the unit; limits are listed in zcp/limits.py",
                )
            )
    return problems
