"""Documented limits on what zcp reads: plausible ceilings for quantities and readings.

A number beyond these is not a large park — it is a typo, a unit slip or an overflow
(``1e400`` reads as infinity), and letting it through would move a report's figures
without a word. Each ceiling is set far above anything a real park reaches, so that no
real input is refused, and says what it is compared with.
"""

from __future__ import annotations

#: Largest value a quantity field of a park file may hold, per unit of the field. Every
#: quantity must also be finite; a unit not listed here falls back to ANY_QUANTITY_CEILING.
QUANTITY_CEILINGS: dict[str, float] = {
    # 1,000 TWh a year: over a tenth of China's electricity use (~9,000 TWh in 2023).
    "MWh": 1e9,
    # 100 GW: over four times the largest power station (Three Gorges, 22.5 GW).
    "MW": 1e5,
    "kW": 1e8,
    # 10 Gt: twice China's annual coal output (~4.7 Gt in 2023).
    "t": 1e10,
    # 10^12 m³: over twice China's annual water withdrawal (~600 bn m³).
    "m3": 1e12,
    # 10^10 GJ = 2,800 TWh of heat.
    "GJ": 1e10,
    # 10^10 万元 = 10^14 CNY: about China's GDP in a year.
    "wan_CNY": 1e10,
    # 10^5 km²: larger than Zhejiang province.
    "km**2": 1e5,
}
#: For a quantity in a unit not listed above, and for bare numbers with no better bound.
ANY_QUANTITY_CEILING = 1e15

#: Largest CT/PT multiplier of a meter: a 5,000/5 A current transformer on a 500 kV/100 V
#: voltage transformer gives 5 x 10^6.
MAX_METER_MULTIPLIER = 1e7

#: Largest flow rate any one meter can see, per carrier dimension: (unit, per hour). An
#: interval reading beyond it (after the multiplier) is physically impossible whatever the
#: meter's history, and is rejected as ``implausible``.
#: 100 GW (four Three Gorges); 100 kt/h (ten of the largest coal conveyors);
#: 10^8 m³/h (ten times the West-East gas pipeline, ~77 bn m³ a year).
READING_CEILING_PER_HOUR: dict[str, tuple[str, float]] = {
    "energy": ("MWh", 1e5),
    "mass": ("t", 1e5),
    "volume": ("m3", 1e8),
}
#: Where a meter's flow starts at a generator or grid connection, or ends at equipment,
#: whose rated power is known, an interval above this many times rated power x interval
#: is implausible too. Three, not one: nameplates are often conservative and equipment runs
#: above them for a while (the synthetic example's loads reach 1.8x); an interval's
#: average at three times the nameplate is beyond what a supply sized for it carries.
RATED_POWER_OVERLOAD = 3.0

#: Longest name (park, tenant, asset, product…) [characters]: a name must fit a table cell
#: and a report title; 200 holds any real company name in Chinese or English.
MAX_NAME_CHARS = 200
#: Longest free text (notes, descriptions, explanations) [characters], about two pages.
MAX_TEXT_CHARS = 5000
#: Fields held to MAX_NAME_CHARS; every other text field to MAX_TEXT_CHARS.
NAME_FIELDS = frozenset(
    {"name", "name_en", "province", "city", "industry", "supplier", "project", "beneficiary"}
)
#: Characters refused in any text: C0/C1 controls other than tab and newline, and the
#: bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
#: can make a printed name read differently from the bytes that were hashed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
