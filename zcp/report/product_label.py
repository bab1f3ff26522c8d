"""The product "green code": a one-page footprint label with a QR code, and its check.

The QR code (segno) carries a compact JSON payload — product, footprint per declared unit,
period, park and the SHA-256 over the park's input files — so a buyer's phone reads the
figure and what it was computed from. The PDF carries the same payload as an attachment.
``verify_label`` recomputes the footprint from the park folder and renders the label again:
rendering is reproducible, so a label whose bytes, figure or payload were altered (or whose
park inputs changed) no longer matches.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import segno
from markupsafe import escape

from zcp.products.footprint import Footprint
from zcp.report.pdf import AttachedFile, read_attachments, render_pdf

PAYLOAD_KIND = "zcp.pcf-label/1"
ATTACHMENT = "zcp-label.json"

_TEXT = {
    "zh": {
        "title": "产品碳足迹标识", "per": "每", "stages": "分阶段（从摇篮到大门）",
        "materials": "原材料（含供应商披露）", "production": "生产（本厂分摊）", "transport": "运输",
        "primary": "初级数据占比", "period": "核算期", "maker": "生产企业", "park": "园区",
        "method": "方法：ISO 14067:2018，GHG Protocol 产品标准；电网电力按电力碳足迹因子计。",
        "battery": "电池全寿命每千瓦时能量碳足迹（暂定）", "inputs": "输入文件哈希",
        "scan": "扫码读取足迹及其来源", "notes": "说明",
    },
    "en": {
        "title": "Product carbon footprint label", "per": "per", "stages": "By stage (cradle to gate)",
        "materials": "Materials (incl. supplier disclosures)", "production": "Production (allocated)",
        "transport": "Transport", "primary": "Primary data share", "period": "Reporting period",
        "maker": "Maker", "park": "Park",
        "method": "Method: ISO 14067:2018, GHG Protocol Product Standard; grid electricity priced "
                  "with the electricity carbon-footprint factor.",
        "battery": "Per kWh of energy over the battery's service life (provisional)",
        "inputs": "Input files hash", "scan": "Scan for the footprint and its source", "notes": "Notes",
    },
}  # fmt: skip

_NOTE_ZH = {
    "the tenant's energy use is a design-stage estimate, not metered": "本厂能源数据为设计阶段估算值，非计量值。",
}
_FACTOR_NOTE = re.compile(
    r"no electricity carbon-footprint factor for (\d+); the (\d+) value \((\S+)\) is used"
)


def _note(text: str, lang: str) -> str:
    if lang != "zh":
        return text
    if m := _FACTOR_NOTE.fullmatch(text):
        return f"尚无{m[1]}年电力碳足迹因子，采用{m[2]}年值（{m[3]}）。"
    return _NOTE_ZH.get(text, text)


def payload(fp: Footprint) -> dict[str, Any]:
    """What the QR code carries (keys short: a QR code holds a few hundred bytes well)."""
    return {
        "k": PAYLOAD_KIND,
        "park": fp.park_id,
        "tenant": fp.product.tenant,
        "product": fp.product.id,
        "pcf": f"{fp.kg_per_unit:.6g}",
        "unit": f"kgCO2e/{fp.product.declared_unit}",
        "period": f"{fp.period[0]}/{fp.period[1]}",
        "inputs": fp.inputs_sha256,
    }


def payload_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def _qr_svg(text: str) -> str:
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="svg", scale=4, border=2, xmldecl=False,
                                                   svgns=True, nl=False)  # fmt: skip
    return out.getvalue().decode("ascii")


def label_html(fp: Footprint, lang: str = "zh") -> str:
    """The label as HTML (every user string escaped)."""
    t = _TEXT[lang]
    p = fp.product
    name = p.name if lang == "zh" or not p.name_en else p.name_en
    maker = fp.tenant_name if lang == "zh" or not fp.tenant_name_en else fp.tenant_name_en
    stages = fp.stages()
    rows = "".join(
        f"<tr><td>{escape(t[k])}</td><td class='num'>{stages[k]:.2f}</td></tr>"
        for k in ("materials", "production", "transport")
    )
    battery = ""
    if fp.battery:
        battery = (f"<p class='bat'>{escape(t['battery'])}: "
                   f"<b>{fp.battery['kg_co2e_per_kwh_lifetime']:.4f}</b> kgCO2e/kWh</p>")  # fmt: skip
    notes = [_note(n, lang) for n in fp.notes]
    note_html = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return f"""<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<style>
@page {{ size: 105mm 148mm; margin: 6mm; }}
html {{ font-family: "Noto Sans CJK SC", "Noto Sans CJK", "WenQuanYi Micro Hei", sans-serif; font-size: 8pt; }}
h1 {{ font-size: 11pt; margin: 0 0 2mm 0; color: #1b5e20; }}
.big {{ font-size: 20pt; font-weight: bold; margin: 1mm 0; }}
table {{ border-collapse: collapse; width: 100%; }} td {{ padding: 0.6mm 1mm; border-bottom: 0.2pt solid #bbb; }}
td.num {{ text-align: right; white-space: nowrap; }}
.qr {{ float: right; width: 30mm; margin-left: 2mm; }} .qr svg {{ width: 30mm; height: 30mm; }}
.small {{ font-size: 6pt; color: #444; word-break: break-all; }} .bat {{ margin: 1.5mm 0; }}
ul {{ margin: 1mm 0 0 3mm; padding: 0; }}
</style></head><body>
<h1>{escape(t["title"])}</h1>
<div class="qr">{_qr_svg(payload_text(payload(fp)))}<div class="small">{escape(t["scan"])}</div></div>
<p><b>{escape(name)}</b><br>{escape(t["maker"])}: {escape(maker)} · {escape(t["park"])}: {escape(fp.park_id)}</p>
<p class="big">{fp.kg_per_unit:.1f} kgCO2e</p>
<p>{escape(t["per"])} {escape(p.declared_unit)} · {escape(t["period"])}: {escape(fp.period[0])} – {escape(fp.period[1])}</p>
<table><tr><td colspan="2"><b>{escape(t["stages"])}</b> [kgCO2e/{escape(p.declared_unit)}]</td></tr>{rows}</table>
<p>{escape(t["primary"])}: {100 * fp.primary_data_share:.0f} %</p>
{battery}
<p class="small">{escape(t["method"])}</p>
{f"<p class='small'>{escape(t['notes'])}:</p><ul class='small'>{note_html}</ul>" if note_html else ""}
<p class="small">{escape(t["inputs"])}: {escape(fp.inputs_sha256)}</p>
</body></html>"""


def render_label(fp: Footprint, lang: str = "zh") -> bytes:
    """The label PDF; the same footprint and language always give the same bytes."""
    data = {"payload": payload(fp), "lang": lang, "footprint": fp.as_dict()}
    attached = AttachedFile(ATTACHMENT, json.dumps(data, ensure_ascii=False, sort_keys=True,
                                                   allow_nan=False, default=float).encode("utf-8"),
                            "the label's QR payload and the footprint it shows")  # fmt: skip
    return render_pdf(label_html(fp, lang), report_date=dt.date.fromisoformat(fp.period[1]),
                      attachments=[attached])  # fmt: skip


@dataclass
class LabelCheck:
    """The outcome of checking a label against its park folder."""

    ok: bool
    product: str | None = None
    problems: list[str] = field(default_factory=list)


def read_label(pdf: bytes) -> dict[str, Any] | None:
    """The label's attached data, or ``None`` when the PDF is not a zcp label."""
    try:
        files = read_attachments(pdf)
    except ValueError:
        return None
    if ATTACHMENT not in files:
        return None
    try:
        data = json.loads(files[ATTACHMENT])
    except ValueError:
        return None
    return (
        data
        if isinstance(data, dict) and data.get("payload", {}).get("k") == PAYLOAD_KIND
        else None
    )


def verify_label(pdf: bytes, footprints: dict[str, Footprint]) -> LabelCheck:
    """Check a label against freshly computed ``footprints`` (product id → footprint)."""
    data = read_label(pdf)
    if data is None:
        return LabelCheck(
            False, None, ["not a zcp product label (no readable label data attached)"]
        )
    claimed = data["payload"]
    product = claimed.get("product")
    fp = footprints.get(product)
    if fp is None:
        return LabelCheck(False, product, [f"the park has no product {product!r}"])
    problems = []
    fresh = payload(fp)
    for key in sorted(set(fresh) | set(claimed)):
        if fresh.get(key) != claimed.get(key):
            problems.append(
                f"{key}: label says {claimed.get(key)!r}, the park folder gives {fresh.get(key)!r}"
            )
    lang = str(data["lang"]) if data.get("lang") in _TEXT else "zh"
    if not problems and render_label(fp, lang) != pdf:
        problems.append("the label's bytes differ from the label zcp renders for this product "
                        "(text, figure or QR code altered)")  # fmt: skip
    return LabelCheck(not problems, product, problems)


def write_label(fp: Footprint, out: Path, lang: str = "zh") -> None:
    from zcp.report.atomic import atomic_write_bytes

    atomic_write_bytes(out, render_label(fp, lang))
