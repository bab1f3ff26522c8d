"""The park model: pydantic models of a park and the loader of a park folder."""

from zcp.model.carriers import Carrier, Carriers
from zcp.model.folder import ParkFolder, load_park
from zcp.model.park import (
    Bus,
    Converter,
    Equipment,
    Flow,
    FuelSupply,
    Generator,
    GridConnection,
    Meter,
    Park,
    Storage,
    Tenant,
)

__all__ = [
    "Bus",
    "Carrier",
    "Carriers",
    "Converter",
    "Equipment",
    "Flow",
    "FuelSupply",
    "Generator",
    "GridConnection",
    "Meter",
    "Park",
    "ParkFolder",
    "Storage",
    "Tenant",
    "load_park",
]
