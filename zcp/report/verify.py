"""``zcp verify``: does a report still match the files it claims to be computed from?

Two steps, cheapest and most specific first. (1) Re-hash every park input, rule-set and
factor file and name each one that changed, appeared or disappeared — a comment-only edit
counts, since the report certifies those exact bytes. (2) Recompute the assessment from the
park folder and compare it with the result embedded in the report, rule by rule.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zcp.errors import ZcpError
from zcp.report.evaluation import evaluate_park, factor_files
from zcp.report.output import read_report
from zcp.report.provenance import display_package_path, hash_park_folder, sha256_file
from zcp.report.signing import SignatureCheck, check_signatures
from zcp.rules import Catalogue

#: result fields that describe the run rather than the verdicts
_RUN_FIELDS = ("inputs", "zcp_version")


@dataclass
class Verification:
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    result_matches: bool | None = None  # None: could not recompute
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    signatures: list[SignatureCheck] = field(default_factory=list)
    trust_required: bool = False  # trusted certificates were given: signers must chain to one

    def _signatures_ok(self) -> bool:
        return all(s.ok and (s.trusted or not self.trust_required) for s in self.signatures) and (
            bool(self.signatures) or not self.trust_required
        )

    @property
    def ok(self) -> bool:
        files_ok = not (self.changed or self.added or self.removed)
        return files_ok and bool(self.result_matches) and self._signatures_ok()

    def lines(self) -> list[str]:
        out = [f"changed: {p}" for p in self.changed]
        out += [f"added: {p}" for p in self.added]
        out += [f"removed: {p}" for p in self.removed]
        if not (self.changed or self.added or self.removed):
            out.append("files: all hashes match")
        if self.result_matches is True:
            out.append("results: recomputed results match the report")
        elif self.result_matches is False:
            out.append("results: recomputed results differ from the report")
            out += [f"  {d}" for d in self.differences]
        for sig in self.signatures:
            state = [
                "intact" if sig.intact else "BROKEN",
                "covers the whole file" if sig.whole_file else "CHANGED AFTER SIGNING",
                "trusted" if sig.trusted else "signer not in the trusted certificates",
            ]
            out.append(f"signature: {sig.signer} — {', '.join(state)}")
        if self.trust_required and not self.signatures:
            out.append("signature: NONE, but trusted certificates were given")
        out += [f"note: {n}" for n in self.notes]
        out.append("OK: report matches its inputs" if self.ok else "MISMATCH")
        return out


def _expected_files(manifest: dict[str, Any] | None, result: dict[str, Any]) -> list[dict]:
    if manifest is not None:
        return list(manifest["files"])
    # A JSON report is the bare result: park inputs plus each rule set's own hash.
    files = [{"role": "input", "path": p, "sha256": h} for p, h in result.get("inputs", {}).items()]
    files += [
        {"role": "rule_set", "path": rs.get("path") or rs["rule_set_id"], "sha256": rs["sha256"]}
        for rs in result.get("rule_sets", [])
    ]
    return files


def _rule_refs(manifest: dict[str, Any] | None, result: dict[str, Any]) -> list[str]:
    if manifest is not None:
        return list(manifest["rule_sets"])
    return [f"{rs['rule_set_id']}@{rs['version']}" for rs in result.get("rule_sets", [])]


def _gap_analysis(manifest: dict[str, Any] | None, result: dict[str, Any]) -> bool:
    """Whether the report ran the lever gap analysis (recomputed the same way, or not)."""
    if manifest is not None:
        return bool(manifest.get("gap_analysis", True))
    return any(rs.get("gaps") for rs in result.get("rule_sets", []))


def _current_files(
    park_dir: Path, refs: list[str], report: Path, catalogue: Catalogue
) -> dict[tuple[str, str], str]:
    current = {("input", p): h for p, h in hash_park_folder(park_dir, [report]).items()}
    for ref in refs:
        ident, _, version = ref.partition("@")
        path = catalogue.files.get((ident, version))
        if path is not None:
            current[("rule_set", display_package_path(path))] = sha256_file(path)
    for path in factor_files():
        current[("factors", display_package_path(path))] = sha256_file(path)
    return current


def _compare_results(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    diffs = []
    old_sets = {f"{r['rule_set_id']}@{r['version']}": r for r in old.get("rule_sets", [])}
    new_sets = {f"{r['rule_set_id']}@{r['version']}": r for r in new.get("rule_sets", [])}
    for key in sorted(old_sets.keys() | new_sets.keys()):
        if key not in new_sets or key not in old_sets:
            diffs.append(f"{key}: {'missing from recomputation' if key not in new_sets else 'new'}")
            continue
        a, b = old_sets[key], new_sets[key]
        old_rules = {r["id"]: r for r in a["rules"]}
        new_rules = {r["id"]: r for r in b["rules"]}
        for rid in sorted(old_rules.keys() | new_rules.keys()):
            ra, rb = old_rules.get(rid), new_rules.get(rid)
            if ra != rb:
                if ra and rb and ra["status"] != rb["status"]:
                    diffs.append(f"{key} {rid}: {ra['status']} → {rb['status']}")
                else:
                    diffs.append(f"{key} {rid}: values differ")
        rest_a = {k: v for k, v in a.items() if k != "rules"}
        rest_b = {k: v for k, v in b.items() if k != "rules"}
        for k in sorted(rest_a.keys() | rest_b.keys()):
            if rest_a.get(k) != rest_b.get(k):
                diffs.append(f"{key}: {k} differs")
    if old.get("park") != new.get("park"):
        diffs.append("park id differs")
    return diffs


def verify_report(
    report: str | Path,
    park_dir: str | Path,
    *,
    trust: Sequence[str | Path] = (),
    standards_dirs: Sequence[str | Path] = (),
) -> Verification:
    """Check ``report`` against ``park_dir`` (see the module docstring); a PDF's signatures
    are checked too, and with ``trust`` (PEM/DER certificates) each signer must chain to one.
    ``standards_dirs``: the draft standards folders the report was assessed with."""
    catalogue = Catalogue([Path(d) for d in standards_dirs])
    manifest, result = read_report(report)
    park_dir = Path(park_dir)
    refs = _rule_refs(manifest, result)
    out = Verification(trust_required=bool(trust))
    if Path(report).suffix.lower() == ".pdf":
        out.signatures = check_signatures(Path(report).read_bytes(), list(trust))
    expected = {(f["role"], f["path"]): f["sha256"] for f in _expected_files(manifest, result)}
    current = _current_files(park_dir, refs, Path(report), catalogue)
    roles = {role for role, _ in expected}
    for key, digest in sorted(expected.items()):
        if key not in current:
            out.removed.append(key[1])
        elif current[key] != digest:
            out.changed.append(key[1])
    out.added = sorted(p for (role, p) in current if role in roles and (role, p) not in expected)

    try:
        recomputed = evaluate_park(
            park_dir,
            refs,
            gaps=_gap_analysis(manifest, result),
            report=report,
            catalogue=catalogue,
        )
        recomputed = recomputed.result_json()
    except ZcpError as exc:
        if not (out.changed or out.added or out.removed):
            raise
        out.notes.append(f"cannot recompute: {exc.problems[0]}")
        return out
    old = {k: v for k, v in result.items() if k not in _RUN_FIELDS}
    new = {k: v for k, v in recomputed.items() if k not in _RUN_FIELDS}
    out.differences = _compare_results(old, new)
    out.result_matches = not out.differences and json.dumps(old, sort_keys=True) == json.dumps(
        new, sort_keys=True
    )
    if out.result_matches is False and not out.differences:
        out.differences.append("result documents differ")
    if result.get("zcp_version") != recomputed.get("zcp_version"):
        out.notes.append(
            f"report made by zcp {result.get('zcp_version')}, verified with "
            f"zcp {recomputed.get('zcp_version')}"
        )
    return out
