"""Finding rule sets: the shipped ``standards/`` folder plus any ``--standards DIR``.

Versions live side by side (``standards/<family>/<id>/<version>.yaml``), so an assessment
can pin an old one. A later folder overrides a rule set with the same id and version. Which
rule sets apply: the command line (``--rules ID@VERSION``) beats ``assessment.yaml``, which
beats the rule sets in force for the park's stage on the assessment date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import zcp
from zcp.errors import InputError, Problem, RuleFileError, did_you_mean
from zcp.metrics import MetricRegistry
from zcp.rules.loader import LoadedRuleSet, load_rule_set
from zcp.yamlio import load_yaml

TESTS_SUFFIX = ".tests.yaml"


def shipped_standards_dir() -> Path:
    """The rule sets that ship with zcp (repository layout, editable install)."""
    return Path(zcp.__file__).resolve().parent.parent / "standards"


def parse_ref(ref: str) -> tuple[str, str | None]:
    """``"id@version"`` → ``("id", "version")``; ``"id"`` → ``("id", None)``."""
    ident, _, version = ref.partition("@")
    if not ident:
        raise InputError(
            Problem(
                f"rule set reference {ref!r} has no id",
                hint="write ID or ID@VERSION, e.g. zero_carbon_park@2025-trial",
            )
        )
    return ident, version or None


def rule_set_files(paths: Iterable[Path]) -> list[Path]:
    """YAML files under ``paths`` (files or folders, recursive), rule tests excluded."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*.y*ml"))
                if p.suffix in (".yaml", ".yml") and not p.name.endswith(TESTS_SUFFIX)
            )
        else:
            found.append(path)
    return found


@dataclass(frozen=True)
class Selected:
    """A rule set chosen for an evaluation, with the tenant it applies to (if any)."""

    rule_set: LoadedRuleSet
    subject: str | None = None


class Catalogue:
    """Rule sets by (id, version) across standards folders; later folders override."""

    def __init__(
        self,
        extra_dirs: Sequence[Path] = (),
        *,
        include_shipped: bool = True,
        registry: MetricRegistry | None = None,
    ) -> None:
        self.registry = registry
        self.dirs = ([shipped_standards_dir()] if include_shipped else []) + list(extra_dirs)
        self.files: dict[tuple[str, str], Path] = {}
        self._loaded: dict[tuple[str, str], LoadedRuleSet] = {}
        for folder in self.dirs:
            if not folder.is_dir():
                if folder in extra_dirs:
                    raise InputError(Problem("standards folder not found", path=str(folder)))
                continue
            for path in rule_set_files([folder]):
                key = _peek(path)
                if key is not None:
                    self.files[key] = path

    def ids(self) -> list[str]:
        return sorted({ident for ident, _ in self.files})

    def versions(self, ident: str) -> list[str]:
        return sorted(v for i, v in self.files if i == ident)

    def load(
        self, ident: str, version: str | None = None, *, as_of: dt.date | None = None
    ) -> LoadedRuleSet:
        """A rule set by id and version; without a version, the one in force on ``as_of``."""
        if ident not in self.ids():
            raise InputError(
                Problem(
                    f"unknown rule set {ident!r}",
                    hint=did_you_mean(ident, self.ids())
                    or f"known: {', '.join(self.ids()) or 'none'}",
                )
            )
        if version is None:
            return self.current(ident, as_of or dt.date.today())
        key = (ident, version)
        if key not in self.files:
            raise InputError(
                Problem(
                    f"rule set {ident!r} has no version {version!r}",
                    hint=f"versions: {', '.join(self.versions(ident))}",
                )
            )
        if key not in self._loaded:
            self._loaded[key] = load_rule_set(self.files[key], registry=self.registry)
        return self._loaded[key]

    def current(self, ident: str, as_of: dt.date) -> LoadedRuleSet:
        """The version in force on ``as_of`` (latest ``effective_from`` among those in force)."""
        candidates = [self.load(ident, v) for v in self.versions(ident)]
        in_force = [c for c in candidates if _in_force(c, as_of)]
        if not in_force:
            raise InputError(
                Problem(
                    f"no version of rule set {ident!r} is in force on {as_of.isoformat()}",
                    hint=f"pin one with --rules {ident}@VERSION",
                )
            )
        return max(in_force, key=lambda c: c.model.effective_from)

    def for_stage(self, stage: str | None, as_of: dt.date) -> list[LoadedRuleSet]:
        """Park-level rule sets in force on ``as_of`` that cover ``stage``."""
        out = []
        for ident in self.ids():
            try:
                current = self.current(ident, as_of)
            except InputError:
                continue
            model = current.model
            if model.subject == "park" and (stage is None or stage in model.stages):
                out.append(current)
        return out


def select_rule_sets(
    catalogue: Catalogue,
    *,
    cli_refs: Sequence[str] = (),
    assessment: object | None = None,
    stage: str | None = None,
    as_of: dt.date,
) -> list[Selected]:
    """Apply the precedence: command line > assessment.yaml > in force for the stage."""
    if cli_refs:
        chosen = []
        for ref in cli_refs:
            ident, version = parse_ref(ref)
            subject = _assessment_subject(assessment, ident)
            chosen.append(Selected(catalogue.load(ident, version, as_of=as_of), subject))
        return chosen
    choices = getattr(assessment, "rule_sets", None)
    if choices:
        return [Selected(catalogue.load(c.id, c.version, as_of=as_of), c.subject) for c in choices]
    return [Selected(rs) for rs in catalogue.for_stage(stage, as_of)]


def _assessment_subject(assessment: object | None, ident: str) -> str | None:
    for choice in getattr(assessment, "rule_sets", None) or []:
        if choice.id == ident:
            return str(choice.subject) if choice.subject is not None else None
    return None


def _in_force(rs: LoadedRuleSet, day: dt.date) -> bool:
    m = rs.model
    return m.effective_from <= day and (m.effective_until is None or day <= m.effective_until)


def _peek(path: Path) -> tuple[str, str] | None:
    """(id, version) of a rule-set file without full validation; other kinds are skipped."""
    try:
        doc = load_yaml(path)
    except InputError as exc:
        raise RuleFileError(exc.problems) from None
    data = doc.data
    if not isinstance(data, dict) or data.get("kind") != "rule_set":
        return None
    return str(data.get("id")), str(data.get("version"))
