"""Which files of a park folder an evaluation read, as against the ones merely in it.

Every file in the folder is hashed (:mod:`zcp.hashing`), so ``zcp verify`` sees any edit,
addition or removal; a report marks which of them the assessment used. The list comes from
the loaders' own record of what they opened — the park (park.yaml, ``meters_file``), the
readings files (:func:`zcp.metering.sources.sources`, globs and all), the assessment file
and the evidence it cites, and for each accounting ledger built, its instruments, activity
tables, registry statements, supplier disclosures and hourly grid-factor series — so a file
a loader stops reading stops being listed, without a second copy of the path logic here.

Evidence files are counted as used though zcp never opens them: an assessor's answer or
finding cites them, and the report certifies their bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from zcp.metering.sources import sources
from zcp.metrics.ledger_metrics import ledgers_built
from zcp.model import ParkFolder
from zcp.model.folder import PARK_FILE
from zcp.rules.assessment import Assessment


def cited_evidence(assessment: Assessment) -> list[str]:
    """Evidence paths (relative to the assessment file's folder) its answers, findings and
    evidence reviews cite, in the order written, each once."""
    refs = [ref for answer in assessment.answers.values() for ref in answer.evidence]
    for finding in assessment.findings:
        refs += [*finding.evidence, *finding.closing_evidence]
    refs += list(assessment.evidence_reviews)
    return list(dict.fromkeys(refs))


def files_read(folder: ParkFolder, assessment: Assessment | None) -> set[Path]:
    """The resolved paths of every park file the evaluation of ``folder`` used (see the
    module docstring). Call it after evaluating: the ledgers record what they read."""
    park = folder.park
    read = [folder.root / PARK_FILE]
    if park.meters_file:
        read.append(folder.resolve(park.meters_file))
    if park.readings:
        read += [src.path for src in sources(folder)]
    assessment_path = folder.resolve(park.assessment_file)
    if assessment is not None:
        read.append(assessment_path)
        read += [assessment_path.parent / ref for ref in cited_evidence(assessment)]
    for ledger in ledgers_built(folder):
        read += ledger.files_read()
    return {path.resolve() for path in read}


def read_flags(root: Path, hashed: Iterable[str], read: set[Path]) -> dict[str, bool]:
    """{path relative to the folder: whether it was read} for each hashed file (a symlink
    inside the folder counts as read when its target was)."""
    return {rel: (root / rel).resolve() in read for rel in hashed}
