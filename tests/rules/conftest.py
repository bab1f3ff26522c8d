"""Small rule sets in a few lines, over a registry of test metrics."""

from __future__ import annotations

import pytest

from zcp.metrics import REGISTRY, MetricRegistry
from zcp.rules.loader import LoadedRuleSet, parse_rule_set

HEADER = """\
kind: rule_set
schema_version: 1
id: demo
version: "1"
title: {zh: 演示, en: Demo}
issued_by: {zh: 测试机构, en: Test body}
effective_from: 2025-01-01
source: {document: Test standard, clause: "4.1"}
"""


def src(value: float, confidence: str = "verified", valid_from: str = "2025-01-01") -> str:
    """One dated parameter value, as YAML flow text."""
    return (
        f"{{value: {value}, valid_from: {valid_from}, confidence: {confidence}, "
        f"source: {{document: Test standard, clause: '4.2'}}}}"
    )


def build_registry() -> MetricRegistry:
    """The shipped metrics plus a few test metrics."""
    reg = REGISTRY.copy()
    reg.declare("share", unit="fraction", description="a test share")
    reg.declare("energy", unit="tce", description="test energy use")
    reg.declare("intensity", unit="tCO2/tce", description="test carbon intensity")
    reg.declare("tenant_share", unit="fraction", description="a tenant share", subject="tenant")
    reg.declare("electricity", unit="MWh", description="test electricity")
    return reg


@pytest.fixture
def registry() -> MetricRegistry:
    return build_registry()


@pytest.fixture
def make(registry: MetricRegistry):
    """``make(body)`` → a loaded rule set from HEADER + body."""

    def _make(body: str) -> LoadedRuleSet:
        return parse_rule_set(HEADER + body, registry=registry)

    return _make
