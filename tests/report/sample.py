"""A hand-made ``ReportData`` for rendering tests: small, every section filled in."""

from __future__ import annotations

import datetime as dt

from zcp.report.report_data import (
    BarSeries,
    Bilingual,
    Column,
    Cover,
    DataQuality,
    Emissions,
    FactorRow,
    FileHash,
    GapRow,
    GreenPower,
    InstrumentRow,
    KeyIndicator,
    ReportData,
    RuleRow,
    RuleSetRef,
    RuleSetSection,
    Summary,
    Table,
)

SCOPES = {"scope1": 5200.0, "scope2": 18400.5, "scope3": 0.0}
TENANTS = [(f"企业{i:03d}", 1000.0 + 37.5 * i) for i in range(40)]
MONTHS = [(m, 1500.0 + 100 * m) for m in range(1, 13)]


def _emissions_table(table_id: str, title: Bilingual, key: Bilingual, rows, top_n=None) -> Table:
    return Table(
        id=table_id,
        title=title,
        columns=[
            Column("name", key),
            Column("t", Bilingual("排放量", "Emissions"), unit="t CO2e", numeric=True),
        ],
        rows=[{"name": name, "t": value} for name, value in rows],
        top_n=top_n,
    )


def heat(days: int = 365) -> list[list[float | None]]:
    """Midday hours fully green, nights half, one day of missing data."""
    out: list[list[float | None]] = []
    for day in range(days):
        if day == 40:
            out.append([None] * 24)
            continue
        out.append([1.0 if 9 <= h <= 16 else 0.5 for h in range(24)])
    return out


def sample_report(
    park_name: str = "鄂尔多斯零碳产业园",
    *,
    tenant_names: list[str] | None = None,
    n_rules: int = 12,
    days: int = 365,
) -> ReportData:
    tenants = TENANTS
    if tenant_names:
        tenants = [(n, 100.0 + i) for i, n in enumerate(tenant_names)] + TENANTS
    tenants = sorted(tenants, key=lambda r: -r[1])
    ref = RuleSetRef(
        "zero_carbon_park",
        "2025",
        Bilingual("国家级零碳园区建设标准", "National zero-carbon park"),
        "ab" * 32,
        "cn_national",
    )
    rules = [
        RuleRow(
            id=f"green_share_{i}",
            title=Bilingual(f"清洁能源消费占比 {i}", f"Clean energy share {i}"),
            clause=f"4.{i}",
            status=["pass", "fail", "undetermined", "needs_evidence"][i % 4],
            why=f"实际 {90 + i}% ≥ 要求 90%",
            actual=90.0 + i,
            threshold="≥ 90",
            unit="%",
            evidence=[f"evidence/doc{i}.pdf"],
            provisional=i == 3,
        )
        for i in range(n_rules)
    ]
    return ReportData(
        cover=Cover(
            park_id="ordos-zcp",
            park_name=Bilingual(park_name, "Ordos Zero-Carbon Park"),
            location="内蒙古自治区 鄂尔多斯市",
            period_start=dt.date(2027, 1, 1),
            period_end=dt.date(2027, 12, 31),
            stage="design",
            report_date=dt.date(2028, 3, 1),
            rule_sets=[ref],
            accounting_profile="cn_national",
            certification_body="中国质量认证中心",
            assessor="张三",
        ),
        summary=Summary(
            level=Bilingual("零碳园区", "Zero-carbon park"),
            score=82.5,
            max_score=100.0,
            net_emissions=12345.0,
            indicators=[
                KeyIndicator(
                    Bilingual("单位能耗碳排放", "Carbon intensity of energy"),
                    0.18,
                    "≤ 0.2",
                    "t/tce",
                    "pass",
                ),
                KeyIndicator(
                    Bilingual("清洁能源消费占比", "Clean energy share"),
                    87.3,
                    "≥ 90",
                    "%",
                    "fail",
                    provisional=True,
                ),
            ],
            status_counts={"pass": 6, "fail": 3, "undetermined": 3},
            provisional_items=["green_share_3"],
        ),
        emissions=Emissions(
            total=sum(SCOPES.values()),
            net=12345.0,
            by_scope=_emissions_table(
                "emissions_by_scope",
                Bilingual("按范围", "By scope"),
                Bilingual("范围", "Scope"),
                SCOPES.items(),
            ),
            by_carrier=_emissions_table(
                "emissions_by_carrier",
                Bilingual("按能源品种", "By carrier"),
                Bilingual("能源品种", "Carrier"),
                [("电力", 18400.5), ("天然气", 5200.0)],
            ),
            by_tenant=_emissions_table(
                "emissions_by_tenant",
                Bilingual("按企业", "By tenant"),
                Bilingual("企业", "Tenant"),
                tenants,
                top_n=15,
            ),
            by_month=_emissions_table(
                "emissions_by_month",
                Bilingual("按月份", "By month"),
                Bilingual("月份", "Month"),
                [(f"2027-{m:02d}", v) for m, v in MONTHS],
            ),
            charts={
                "by_scope": BarSeries(
                    Bilingual("按范围"), "t CO2e", list(SCOPES), list(SCOPES.values())
                ),
                "by_tenant": BarSeries(
                    Bilingual("按企业"),
                    "t CO2e",
                    [n for n, _ in tenants[:15]],
                    [v for _, v in tenants[:15]],
                ),
                "by_month": BarSeries(
                    Bilingual("按月份"),
                    "t CO2e",
                    [f"{m}月" for m, _ in MONTHS],
                    [v for _, v in MONTHS],
                ),
            },
        ),
        green_power=GreenPower(
            consumption=2_345_678.0, annual_share=0.934, hourly_share=0.712, heat_map=heat(days)
        ),
        instruments=[
            InstrumentRow("GEC-2027-0001", "绿证 GEC", 120000.0, "MWh", "2027", "retired"),
            InstrumentRow(
                "CCER-0042",
                "CCER",
                5000.0,
                "t CO2e",
                "2019",
                "excluded",
                Bilingual("签发年份早于评价期", "vintage before the period"),
            ),
        ],
        rule_sets=[
            RuleSetSection(
                ref,
                rules,
                level=Bilingual("零碳园区", "Zero-carbon park"),
                points=82.5,
                max_points=100.0,
            )
        ],
        gaps=[
            GapRow(
                "green_share_1",
                Bilingual("清洁能源消费占比"),
                2.7,
                "%",
                Bilingual("新增 40 MW 光伏或购买 6.3 万张绿证", "add 40 MW PV or buy 63,000 GECs"),
            )
        ],
        data_quality=DataQuality(
            summary=Table(
                "data_quality_summary",
                Bilingual("数据质量检查", "Data-quality checks"),
                [
                    Column("check", Bilingual("检查项", "Check")),
                    Column("n", Bilingual("问题数", "Issues"), numeric=True, digits=0),
                ],
                [{"check": "缺失小时", "n": 12}, {"check": "负读数", "n": 0}],
            ),
            details=[
                Table(
                    "data_quality_gaps",
                    Bilingual("缺失数据明细", "Missing data"),
                    [
                        Column("meter", Bilingual("表计", "Meter")),
                        Column("hours", Bilingual("小时数", "Hours"), numeric=True, digits=0),
                    ],
                    [{"meter": "M-PV", "hours": 12}],
                )
            ],
        ),
        factors=[
            FactorRow(
                "grid_north_2022",
                "co2",
                0.5703,
                "t/MWh",
                "生态环境部 2022年全国电力平均二氧化碳排放因子",
                "2024-01-01 –",
                "verified",
            )
        ],
        files=[
            FileHash("input", "park.yaml", "cd" * 32),
            FileHash("rule_set", "standards/national/zero_carbon_park/2025.yaml", "ab" * 32),
        ],
        zcp_version="0.1.0",
        result={
            "kind": "evaluation_result",
            "schema_version": 1,
            "zcp_version": "0.1.0",
            "rule_sets": [],
        },
    )
