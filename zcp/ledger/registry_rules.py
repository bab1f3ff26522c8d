"""Instruments judged as registries issue them: claims without serials, retirement dates,
GEC validity and tradability, and power certified twice (GEC and CCER).

- Without serials, two certificates of the same scheme, generator, production period and
  volume cannot be told apart: both claimed is a double claim (an error naming both; give
  the serials if they really are different lots).
- A claim is made on a date (the assessment's ``assessment_date``, operating parks only — a
  design-stage park's instruments are planned): a certificate retired
  after it, or not retired, is excluded from that claim with the reason.
- GEC (国能发新能规〔2024〕67号, data in ``certificate_markets.yaml``): usable until its
  validity ends (retired after that, or still unretired then, it is excluded); a
  non-tradable GEC (issued on self-consumed power) stays with the generating site.
- One project's power may not earn both a GEC and a CCER (国能综通新能〔2024〕124号): a GEC
  and a CCER credit of the same project with overlapping years is an error.
"""

from __future__ import annotations

import datetime as dt

from zcp.errors import Problem
from zcp.ledger.certificate_markets import scheme_markets
from zcp.ledger.instruments import Certificate, Instruments


def _identity(cert: Certificate) -> tuple | None:
    gen = cert.generator
    who = gen.project_code or gen.asset or gen.name
    if who is None:
        return None  # nothing names the generator: cannot tell lots apart or alike
    return (cert.type, who.strip().lower(), cert.vintage.start, cert.vintage.end, cert.mwh)


def unserialled_double_claims(reg: Instruments) -> list[Problem]:
    """Certificates without serials that match another on scheme, generator, vintage, MWh."""
    problems: list[Problem] = []
    path = str(reg.document.path) if reg.document else None
    seen: dict[tuple, tuple[int, Certificate]] = {}
    for i, cert in enumerate(reg.data.certificates):
        key = _identity(cert)
        if key is None:
            continue
        if key in seen and (cert.serials is None or seen[key][1].serials is None):
            j, other = seen[key]
            problems.append(
                Problem(
                    f"{cert.type} from {key[1]!r}, {cert.vintage.start}..{cert.vintage.end}, "
                    f"{cert.mwh:g} MWh claimed twice: {other.id} ({other.beneficiary}) at "
                    f"{reg.where('certificates', j)} and {cert.id} ({cert.beneficiary}) at "
                    f"{reg.where('certificates', i)}",
                    path=path,
                    field=f"certificates[{i}]",
                    hint="without serials these cannot be told apart; give each lot's serials",
                )
            )
        seen.setdefault(key, (i, cert))
    return problems


def gec_ccer_conflicts(reg: Instruments) -> list[Problem]:
    """A project whose power holds a GEC claim and a CCER credit for overlapping years."""
    problems: list[Problem] = []
    path = str(reg.document.path) if reg.document else None
    for i, cert in enumerate(reg.data.certificates):
        if cert.type != "GEC":
            continue
        names = {n.strip().lower() for n in (cert.generator.project_code, cert.generator.name) if n}
        years = set(range(cert.vintage.start.year, cert.vintage.end.year + 1))
        for j, credit in enumerate(reg.data.credits):
            if credit.standard != "CCER" or credit.vintage not in years:
                continue
            theirs = {n.strip().lower() for n in (credit.project_code, credit.project) if n}
            if names & theirs:
                problems.append(
                    Problem(
                        f"project {sorted(names & theirs)[0]!r}: its {credit.vintage} power is "
                        f"claimed as GEC {cert.id} ({reg.where('certificates', i)}) and as "
                        f"CCER {credit.id} ({reg.where('credits', j)})",
                        path=path,
                        field=f"credits[{j}]",
                        hint="one project's power may not earn both a GEC and a CCER "
                        "(国能综通新能〔2024〕124号)",
                    )
                )
    return problems


def registry_exclusion(
    cert: Certificate, claim_date: dt.date | None, own_assets: set[str]
) -> str | None:
    """Why a certificate cannot back a claim made on ``claim_date``, or None."""
    if claim_date is not None and cert.retired and cert.retired_on and cert.retired_on > claim_date:
        return f"retired on {cert.retired_on}, after the assessment date {claim_date}"
    if claim_date is not None and not cert.retired:
        return f"not retired by the assessment date {claim_date}"
    market = scheme_markets().get(cert.type)
    validity = market.validity if market else None
    if validity is not None:
        expires = validity.expires(cert.vintage.start)
        used_on = cert.retired_on if cert.retired else claim_date
        if used_on is not None and used_on > expires:
            return (
                f"{cert.type} produced from {cert.vintage.start:%Y-%m} expired on {expires} "
                f"({validity.source.split(':')[0]}); used on {used_on}"
            )
    if cert.type == "GEC" and not cert.tradable:
        if cert.generator.asset in own_assets:
            return (
                f"non-tradable GEC on the park's own self-consumed power from "
                f"{cert.generator.asset}: that power is already counted as physical supply"
            )
        return "non-tradable GEC (self-consumed power) cannot pass to another consumer"
    return None
