"""Metrics zcp does not compute: figures a standard asks for that the park model cannot
isolate, so an assessor (or a rule test) gives them; until then they are unknown and their
rules undetermined — never zero, never a pass.

Each is a catalogue row (``zcp/data/metrics.yaml``) bound to :func:`given_by_assessor`
with the reason it is not computed as ``args``.
"""

from __future__ import annotations

from zcp.metrics.registry import MetricContext, MetricFunction, MetricValue, metric_factory


@metric_factory
def given_by_assessor(unit: str, why: str) -> MetricFunction:
    """A metric with no value until one is given [``unit``]; ``why`` says what to give."""

    def compute(ctx: MetricContext, subject: str | None) -> MetricValue:
        return MetricValue(None, unit, why)

    return compute
