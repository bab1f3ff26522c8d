"""Metrics zcp does not compute: figures a standard asks for that the park model cannot
isolate, so an assessor (or a rule test) gives them; until then they are unknown and their
rules undetermined — never zero, never a pass.
"""

from __future__ import annotations

from zcp.metrics.registry import REGISTRY

#: (name, unit, description, why it is not computed)
GIVEN_ONLY: tuple[tuple[str, str, str, str], ...] = (
    (
        "direct_connection_self_consumed_share",
        "fraction",
        "绿电直连: a direct-connection project's self-consumed new-energy generation ÷ its total "
        "available generation over the year.",
        "a 绿电直连 project's own generation and consumption are project data, not separated "
        "in the park model: give them",
    ),
    (
        "direct_connection_user_share",
        "fraction",
        "绿电直连: the project's self-consumed generation ÷ the connected user's total "
        "consumption over the year.",
        "a 绿电直连 project's own generation and consumption are project data, not separated "
        "in the park model: give them",
    ),
    (
        "park_offset_share",
        "fraction",
        "零碳园区评价规范 (China Electricity Council): the park's offset share, as that "
        "specification defines it.",
        "the specification's definition of the offset share is not public: give the figure "
        "computed by its method",
    ),
)

for _name, _unit, _text, _why in GIVEN_ONLY:
    REGISTRY.declare(_name, unit=_unit, description=_text, not_computed_reason=_why)
