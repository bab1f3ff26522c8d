"""The metric catalogue (zcp/data/metrics.yaml) against the functions that compute it.

A newcomer who greps a metric named in a rule file must land on its catalogue row, and the
row must lead to a function; the registry refuses a catalogue and code that disagree.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from zcp.cli import main
from zcp.errors import InputError
from zcp.metrics import REGISTRY, MetricRegistry
from zcp.metrics.metric_catalogue import CATALOGUE_PATH, read_catalogue

ROOT = Path(__file__).resolve().parents[2]
STANDARDS = ROOT / "standards"


def _rule_file_metrics() -> dict[str, set[Path]]:
    """Every ``metric:`` value in the shipped rule sets (tests files excluded) → files."""
    found: dict[str, set[Path]] = {}

    def walk(node: object, path: Path) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "metric" and isinstance(value, str):
                    found.setdefault(value, set()).add(path)
                walk(value, path)
        elif isinstance(node, list):
            for item in node:
                walk(item, path)

    for path in sorted(STANDARDS.rglob("*.yaml")):
        if not path.name.endswith(".tests.yaml"):
            walk(yaml.safe_load(path.read_text(encoding="utf-8")), path)
    return found


def test_every_metric_a_rule_file_names_greps_to_one_catalogue_row_and_its_function():
    text = CATALOGUE_PATH.read_text(encoding="utf-8")
    names = _rule_file_metrics()
    assert len(names) >= 90  # the shipped rule sets name about a hundred metrics
    for name in names:
        rows = re.findall(
            rf"^  - name: {re.escape(name)}\n(?:    .*\n)*?    provider: (\S+)", text, re.M
        )
        assert len(rows) == 1, f"{name}: {len(rows)} catalogue rows"
        module, _, function = rows[0].partition(":")
        assert callable(getattr(importlib.import_module(module), function)), rows[0]


def test_catalogue_and_registry_agree_both_ways():
    rows = read_catalogue()
    registered = {m.name: m for m in REGISTRY}
    assert sorted(r.name for r in rows) == sorted(registered)
    for row in rows:
        metric = registered[row.name]
        assert (metric.unit, metric.subject, metric.provider) == (
            row.unit,
            row.subject,
            row.provider,
        )
        assert metric.compute is not None
        assert metric.description == row.description_en and metric.description_zh
    # the grids are written out: 3 levels x 9 carrier groups of equipping rates
    from zcp.metrics.park_structure import equipping_rate

    assert len(REGISTRY.names_from(equipping_rate)) == 3 * 9
    # meters picked by one attribute: 5 installation classes + 2 weighing kinds + large pipes
    from zcp.metrics.meter_accuracy import meter_count_of_kind, worst_accuracy_of_kind

    assert len(REGISTRY.names_from(worst_accuracy_of_kind)) == 5 + 2 + 1
    assert len(REGISTRY.names_from(meter_count_of_kind)) == 5 + 2 + 1


CATALOGUE_HEAD = """\
kind: metric_catalogue
schema_version: 1
metrics:
"""


def _catalogue(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "metrics.yaml"
    path.write_text(CATALOGUE_HEAD + textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.fixture
def provider_module(tmp_path, monkeypatch):
    """A provider module ``zcp_test_provider`` with one marked function, one marked factory
    and one unmarked helper."""
    (tmp_path / "zcp_test_provider.py").write_text(
        textwrap.dedent(
            """
            from zcp.metrics import MetricValue, metric_factory, metric_function

            @metric_function
            def answer(ctx, subject):
                return MetricValue(42.0, "MWh")

            @metric_factory
            def constant(unit, value):
                return lambda ctx, subject: MetricValue(value, unit)

            def helper(ctx, subject):
                return None
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "zcp_test_provider"
    sys.modules.pop("zcp_test_provider", None)


ROW = """\
  - name: {name}
    unit: MWh
    subject: park
    provider: {provider}
{args}    description:
      zh: 测试
      en: test
"""


def _rows(*rows: tuple[str, str, str]) -> str:
    return "".join(ROW.format(name=n, provider=p, args=a) for n, p, a in rows)


def test_a_consistent_catalogue_binds_functions_and_factories(tmp_path, provider_module):
    from zcp.metrics import EvaluationContext

    body = _rows(
        ("answer_metric", f"{provider_module}:answer", ""),
        ("seven", f"{provider_module}:constant", "    args: {value: 7.0}\n"),
    )
    registry = MetricRegistry(catalogue=_catalogue(tmp_path, body))
    ctx = EvaluationContext(registry=registry)
    assert ctx.value("answer_metric").value == 42.0
    assert ctx.value("seven").value == 7.0
    assert registry.get("seven").description_zh == "测试"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # a marked function no row names (constant) — the other direction of the check
        ([("a", "{m}:answer", "")], "zcp_test_provider:constant is marked .* no catalogue row"),
        ([("a", "zcp_no_such_module:answer", "")], "provider module cannot be imported"),
        ([("a", "{m}:answr", "")], "has no function 'answr'.*did you mean 'answer'"),
        ([("a", "{m}:helper", "")], "not marked as a provider"),
        ([("a", "{m}:answer", "    args: {value: 1}\n")], "no factory: drop 'args'"),
        ([("a", "{m}:constant", "    args: {valu: 1}\n")], "constant refuses args: .*'valu'"),
    ],
)
def test_catalogue_and_code_that_disagree_are_errors(tmp_path, provider_module, rows, expected):
    rows = [(n, p.format(m=provider_module), a) for n, p, a in rows]
    if not any(p.endswith(":constant") for _, p, _ in rows) and "constant" not in expected:
        rows.append(("b", f"{provider_module}:constant", "    args: {value: 1.0}\n"))
    path = _catalogue(tmp_path, _rows(*rows))
    with pytest.raises(InputError, match=expected) as err:
        MetricRegistry(catalogue=path).get("a")
    assert str(path) in str(err.value)


def test_a_row_without_description_or_provider_names_file_line_and_field(tmp_path):
    path = _catalogue(
        tmp_path,
        """\
        - name: first
          unit: MWh
          subject: park
          provider: zcp.metrics.readings:readings_completeness
          description: {zh: 测试}
        - name: second
          unit: MWh
          subject: park
          description: {zh: 测试, en: test}
        - name: first
          unit: MWh
          subject: plant
          provider: x:y
          description: {zh: 测试, en: test}
        """,
    )
    with pytest.raises(InputError) as err:
        read_catalogue(path)
    text = str(err.value)
    assert f"{path}:8:" in text and "metrics[0].description.en: missing or empty" in text
    assert "metrics[1].provider: missing or empty" in text
    assert "subject must be one of" in text
    # the third row is invalid already, so it is not also reported as a duplicate
    assert "listed twice" not in text


def test_rules_metrics_command_prints_the_catalogue_as_text_and_json():
    runner = CliRunner()
    rows = read_catalogue()
    out = runner.invoke(main, ["rules", "metrics", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert [d["name"] for d in data] == [r.name for r in rows]
    rate = next(d for d in data if d["name"] == "meter_rate_tenant_gas")
    assert rate["args"] == {"level": "tenant", "group": "gas"}
    assert rate["provider"] == "zcp.metrics.park_structure:equipping_rate"
    assert rate["description"]["zh"] and rate["description"]["en"]
    text = runner.invoke(main, ["rules", "metrics", "--lang", "zh"])
    assert text.exit_code == 0
    assert "meter_rate_tenant_gas" in text.stdout and "计量器具配备率" in text.stdout
    assert f"{len(rows)} metric(s)" in text.stderr


def test_every_metric_function_in_zcp_has_a_row_and_every_metric_came_from_one():
    """A provider module the catalogue does not name yet, or a metric added with the
    decorator instead of a row, would otherwise slip past the binding's own check."""
    import pkgutil

    import zcp.metrics
    from zcp.metrics.registry import _marked

    named = {row.provider for row in read_catalogue()}
    for info in pkgutil.iter_modules(zcp.metrics.__path__):
        module = importlib.import_module(f"zcp.metrics.{info.name}")
        for function in _marked(module):
            assert f"{module.__name__}:{function}" in named, f"{function}: no catalogue row"
    for m in REGISTRY:
        assert m.provider in named and m.compute is not None, m.name


@pytest.mark.parametrize(
    "args",
    [{}, {"installation_class": "VI"}, {"weighing": "static", "large_pipe": True}],
)
def test_a_meter_kind_factory_refuses_args_that_pick_no_single_kind(args):
    from zcp.metrics.meter_accuracy import worst_accuracy_of_kind

    with pytest.raises(ValueError, match="installation_class"):
        worst_accuracy_of_kind("percent", **args)


def test_a_given_only_metric_is_unknown_with_its_reason_until_given():
    from zcp.metrics import EvaluationContext

    ctx = EvaluationContext()
    value = ctx.value("park_offset_share")
    assert value.value is None and "not public" in (value.reason or "")
    given = ctx.with_values({"park_offset_share": "40 %"}).value("park_offset_share")
    assert given.value == pytest.approx(0.40)
