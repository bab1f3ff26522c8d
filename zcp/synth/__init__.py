"""``zcp synth``: seeded synthetic park folders with realistic shapes and known faults.

Used for the operating example park, for tests that check the quality report against
ground truth (``synth.json``), and for the 10,000-meter benchmark.
"""

from zcp.synth.faults import FaultCounts
from zcp.synth.generate import SynthSpec, synthesize

__all__ = ["FaultCounts", "SynthSpec", "synthesize"]
