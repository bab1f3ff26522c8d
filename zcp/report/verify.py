"""``zcp verify``: does a report still match the files it claims to be computed from, and
does it show what zcp computed?

Four checks, cheapest and most specific first. (1) Re-hash every park input, rule-set and
factor file and name each one that changed, appeared or disappeared — a comment-only edit
counts, since the report certifies those exact bytes; a park file the recomputation reads
that the report marked not read (or the other way round) is a role change. (2) Recompute
the assessment from the park folder (the same :func:`zcp.rules.run.evaluate_park`
``assess`` ran) and compare it
with the result embedded in the report, rule by rule. (3) Re-render the report from the
recomputation, in its language and on its date, and compare it byte for byte with what a
reader sees (rendering is reproducible): an overlay, a dropped or added page, an edited
park name or a flipped byte is a mismatch even when the embedded data is untouched. A
signed PDF must start with exactly those bytes, followed only by signatures. (4) Each
signature: intact, covering the document as the previous signer left it with nothing but
later signatures after it, in the order preparer → reviewer → approver with none missing,
made by the engagement team member who holds that role (the certificate's common name is
their name or English name), and by a signer who chains to a certificate given with
``--trust`` — without one, a signer is *unverified*, which is a mismatch, not OK.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zcp.errors import InputError, Problem, ZcpError
from zcp.hashing import display_package_path, factor_files, hash_park_inputs, sha256_file
from zcp.report.comparison import previous_problems
from zcp.report.output import read_report
from zcp.report.signing import (
    SIGNING_ROLES,
    SignatureCheck,
    check_signatures,
    holder_text,
    is_holder,
)
from zcp.rules import Catalogue
from zcp.rules.run import Progress, evaluate_park

#: result fields that describe the run rather than the verdicts
_RUN_FIELDS = ("inputs", "inputs_read", "zcp_version")


@dataclass
class Verification:
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: park files the recomputation read and the report did not, or the other way round
    role_changed: list[str] = field(default_factory=list)
    result_matches: bool | None = None  # None: could not recompute
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: what a reader sees equals zcp's re-rendering (None: not checked, e.g. a JSON report)
    rendering_matches: bool | None = None
    rendering_problem: str | None = None
    signatures: list[SignatureCheck] = field(default_factory=list)
    trust_required: bool = False  # trusted certificates were given
    chain_problems: list[str] = field(default_factory=list)
    pack_problems: list[str] = field(default_factory=list)  # members unlike the pack manifest
    #: what is wrong with the previous result a year-on-year comparison was made with
    previous_problems: list[str] = field(default_factory=list)

    def _signatures_ok(self) -> bool:
        if self.trust_required and not self.signatures:
            return False
        return all(s.ok and s.trusted for s in self.signatures) and not self.chain_problems

    @property
    def ok(self) -> bool:
        files_ok = not (self.changed or self.added or self.removed or self.pack_problems
                        or self.previous_problems or self.role_changed)  # fmt: skip
        shown_ok = self.rendering_matches is not False
        return files_ok and bool(self.result_matches) and shown_ok and self._signatures_ok()

    def lines(self) -> list[str]:
        out = [f"pack: {p}" for p in self.pack_problems]
        out += [f"changed: {p}" for p in self.changed]
        out += [f"added: {p}" for p in self.added]
        out += [f"removed: {p}" for p in self.removed]
        out += [f"role changed: {p}" for p in self.role_changed]
        if not (self.changed or self.added or self.removed):
            out.append("files: all hashes match")
        out += [f"previous result: {p}" for p in self.previous_problems]
        if self.result_matches is True:
            out.append("results: recomputed results match the report")
        elif self.result_matches is False:
            out.append("results: recomputed results differ from the report")
            out += [f"  {d}" for d in self.differences]
        if self.rendering_matches is True:
            out.append("document: identical to zcp's re-rendering of the recomputed result")
        elif self.rendering_matches is False:
            out.append(f"document: DIFFERS from zcp's re-rendering — {self.rendering_problem}")
        for sig in self.signatures:
            state = [
                "intact" if sig.intact else "BROKEN",
                "covers the document" if sig.whole_file else "DOCUMENT CHANGED AFTER SIGNING",
                "trusted"
                if sig.trusted
                else (
                    "signer NOT in the trusted certificates"
                    if self.trust_required
                    else "UNVERIFIED (give --trust CERT)"
                ),
            ]
            out.append(f"signature ({sig.role or sig.field}): {sig.signer} — {', '.join(state)}")
        if self.trust_required and not self.signatures:
            out.append("signature: NONE, but trusted certificates were given")
        out += [f"signature chain: {p}" for p in self.chain_problems]
        out += [f"note: {n}" for n in self.notes]
        out.append("OK: report matches its inputs" if self.ok else "MISMATCH")
        return out


def chain_problems(signatures: Sequence[SignatureCheck], team_roles: Sequence[str]) -> list[str]:
    """What is wrong with the order of signatures: each must be the next role of
    preparer → reviewer → approver, and a signed report carries every role the engagement's
    team has (a removed signature leaves a gap; a reordered chain is out of order)."""
    if not signatures:
        return []
    roles = [s.role for s in signatures]
    problems = []
    if any(r is None for r in roles):
        fields = [s.field for s in signatures if s.role is None]
        problems.append(f"signature field(s) {fields} are not a role of the chain")
    expected = list(SIGNING_ROLES[: len(roles)])
    if [r for r in roles] != expected:
        problems.append(f"signed in the order {roles}, expected {expected}")
    missing = [r for r in team_roles if r not in roles]
    if missing:
        problems.append(f"not signed by the {', '.join(missing)}")
    return problems


def signer_problems(signatures: Sequence[SignatureCheck], team: Sequence[dict]) -> list[str]:
    """Each signature whose signer is not the team member holding its role, naming both."""
    holders = {m["role"]: m for m in team if m.get("role") in SIGNING_ROLES}
    problems = []
    for sig in signatures:
        member = holders.get(sig.role or "")
        if member is not None and not is_holder(sig.common_name, member):
            problems.append(
                f"the {sig.role}'s signature is by {sig.common_name!r}, but the engagement's "
                f"{sig.role} is {holder_text(member)}"
            )
    return problems


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
    current = {("input", p): h for p, h in hash_park_inputs(park_dir, [report]).items()}
    for ref in refs:
        ident, _, version = ref.partition("@")
        path = catalogue.files.get((ident, version))
        if path is not None:
            current[("rule_set", display_package_path(path))] = sha256_file(path)
    for path in factor_files():
        current[("factors", display_package_path(path))] = sha256_file(path)
    return current


def _role_changes(
    manifest: dict[str, Any] | None, result: dict[str, Any], read_now: dict[str, bool]
) -> list[str]:
    """``path (was not read, now read)`` for each park file whose role differs between the
    report (its manifest; a JSON report's ``inputs_read``) and the recomputation. Reports
    that recorded no roles (manifest version 1, older results) have none to compare."""
    if manifest is not None:
        then = {f["path"]: bool(f["read"]) for f in manifest["files"]
                if f["role"] == "input" and "read" in f}  # fmt: skip
    elif result.get("inputs_read") is not None:
        listed = set(result["inputs_read"])
        then = {path: path in listed for path in result.get("inputs", {})}
    else:
        return []
    role = {True: "read", False: "not read"}
    return [
        f"{path} (was {role[was]}, now {role[read_now[path]]})"
        for path, was in sorted(then.items())
        if path in read_now and was != read_now[path]
    ]


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


def _rendering_problem(report: Path, fmt: str, expected: bytes,
                       signatures: list[SignatureCheck]) -> str | None:  # fmt: skip
    """Why the report's bytes are not what zcp renders, or None when they are."""
    actual = report.read_bytes()
    if actual == expected:
        return None
    if fmt != ".pdf" or not actual.startswith(expected):
        pairs = enumerate(zip(actual, expected, strict=False))
        n = next((i for i, (a, b) in pairs if a != b), min(len(actual), len(expected)))
        return (
            f"{len(actual):,} bytes against {len(expected):,} rendered; "
            f"first difference at byte {n:,}"
        )
    if not signatures:
        return f"{len(actual) - len(expected):,} bytes appended to the rendered report"
    if min(s.signed_bytes for s in signatures) <= len(expected):
        return "a signature does not cover the whole rendered report"
    if max(s.signed_bytes for s in signatures) != len(actual):
        return "bytes appended after the last signature"
    return None


#: bytes only a zcp report carries: a file holding them but unreadable is a damaged report
_REPORT_MARKERS = (b"manifest.json", b"zcp-manifest")


def _damaged(report: Path) -> bool:
    try:
        raw = report.read_bytes()
    except OSError:
        return False
    return any(marker in raw for marker in _REPORT_MARKERS)


def _previous_comparison(out: Verification, report: Path, manifest: dict[str, Any],
                         data: Any, meta: dict[str, Any], given: str | Path | None) -> None:  # fmt: skip
    """Re-make the year-on-year comparison from the previous result the report carries,
    and check that copy (and the file ``given``, if any) against the manifest."""
    from zcp.report.comparison import compare, record_previous
    from zcp.report.output import read_previous

    record = manifest.get("previous")
    embedded = read_previous(report) if record is not None else None
    given_path = Path(given) if given is not None else None
    out.previous_problems = previous_problems(record, embedded, given_path)
    if record is None or embedded is None:
        return
    comparison = compare(embedded, data.result or {}, str(record["path"]), str(record["sha256"]))
    record_previous(data, meta, comparison)
    if given is None:
        out.notes.append(
            f"compared year on year with the copy of {record['path']} the report carries; "
            "give --previous FILE to check it against that file"
        )


def verify_pack(
    pack: str | Path,
    *,
    trust: Sequence[str | Path] = (),
    progress: Progress | None = None,
    standards_dirs: Sequence[str | Path] = (),
) -> Verification:
    """Check an evidence pack (``zcp pack``): every member against its manifest, then its
    ``result.json`` against its ``park/`` folder as a JSON report is checked."""
    from zcp.report.pack import PARK_PREFIX, check_pack, unpack_dir

    with unpack_dir() as tmp:
        problems, result_path = check_pack(pack, Path(tmp))
        out = verify_report(result_path, Path(tmp) / PARK_PREFIX, trust=trust,
                            progress=progress, standards_dirs=standards_dirs)  # fmt: skip
    out.pack_problems = problems
    return out


def verify_report(
    report: str | Path,
    park_dir: str | Path | None = None,
    *,
    trust: Sequence[str | Path] = (),
    progress: Progress | None = None,
    standards_dirs: Sequence[str | Path] = (),
    previous: str | Path | None = None,
    signed_through: str | None = None,
) -> Verification:
    """Check ``report`` against ``park_dir`` (see the module docstring); ``trust`` are
    PEM/DER certificates each signer must chain to. An evidence pack (``.zip``) carries
    its park folder, so ``park_dir`` is not needed for one. ``standards_dirs``: the draft
    standards folders the report was assessed with. ``previous``: the file a year-on-year
    report was compared with, checked against the hash its manifest recorded (without it,
    the copy the report carries is used and a note says so). ``signed_through``: a chain
    still in progress — a role of the chain up to which the team must have signed (the
    reviewer checks the preparer's signature before adding their own)."""
    import datetime as dt

    from zcp.report.pack import is_pack

    if is_pack(report):
        return verify_pack(report, trust=trust, progress=progress, standards_dirs=standards_dirs)
    if park_dir is None:
        raise InputError(Problem("give the park folder the report was computed from",
                                 hint="zcp verify REPORT PARK_DIR"))  # fmt: skip
    report = Path(report)
    catalogue = Catalogue([Path(d) for d in standards_dirs])
    try:
        manifest, result = read_report(report)
    except InputError as exc:
        if report.suffix.lower() == ".json" or not _damaged(report):
            raise
        # A zcp report whose embedded data no longer parses was changed after writing.
        out = Verification(rendering_matches=False)
        out.rendering_problem = f"the report is damaged ({exc.problems[0].message})"
        return out
    fmt = report.suffix.lower()
    park_dir = Path(park_dir)
    refs = _rule_refs(manifest, result)
    out = Verification(trust_required=bool(trust))
    if fmt == ".pdf":
        out.signatures = check_signatures(report.read_bytes(), list(trust))
    expected = {(f["role"], f["path"]): f["sha256"] for f in _expected_files(manifest, result)}
    current = _current_files(park_dir, refs, report, catalogue)
    roles = {role for role, _ in expected}
    for key, digest in sorted(expected.items()):
        if key not in current:
            out.removed.append(key[1])
        elif current[key] != digest:
            out.changed.append(key[1])
    out.added = sorted(p for (role, p) in current if role in roles and (role, p) not in expected)

    gaps = _gap_analysis(manifest, result)
    try:
        evaluation = evaluate_park(
            park_dir,
            rule_refs=refs,
            gaps=gaps,
            exclude=[report],
            progress=progress,
            catalogue=catalogue,
        )
    except ZcpError as exc:
        if not (out.changed or out.added or out.removed):
            raise
        out.notes.append(f"cannot recompute: {exc.problems[0]}")
        return out
    out.role_changed = _role_changes(manifest, result, evaluation.read)
    recomputed = evaluation.result_json()
    engagement = evaluation.assessment.engagement if evaluation.assessment else None
    team_roles = [m.role for m in engagement.team if m.role in SIGNING_ROLES] if engagement else []
    if signed_through is not None:
        due = SIGNING_ROLES[: SIGNING_ROLES.index(signed_through) + 1]
        later = [r for r in team_roles if r not in due]
        team_roles = [r for r in team_roles if r in due]
        if later:
            out.notes.append(
                f"chain in progress: checked through the {signed_through}; "
                f"the {', '.join(later)} has not signed yet (--signed-through)"
            )
    out.chain_problems = chain_problems(out.signatures, team_roles)
    team = [m.model_dump() for m in engagement.team] if engagement else []
    out.chain_problems += signer_problems(out.signatures, team)
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
    if manifest is None and previous is not None:  # a JSON report carries no comparison
        out.previous_problems = previous_problems(None, None, Path(previous))
    if manifest is not None and fmt in (".pdf", ".html"):
        from zcp.report.build import build_report
        from zcp.report.output import render

        if progress:
            progress("re-rendering the report to compare what a reader sees")
        lang = str(manifest.get("lang", "zh"))
        day = dt.date.fromisoformat(str(manifest["report_date"]))
        plans = [str(p) for p in manifest.get("plans", [])]
        data, meta = build_report(evaluation, lang=lang, gaps=gaps, day=day, plans=plans)
        _previous_comparison(out, report, manifest, data, meta, previous)
        problem = _rendering_problem(report, fmt, render(data, meta, fmt, lang), out.signatures)
        out.rendering_matches = problem is None
        out.rendering_problem = problem
    return out
