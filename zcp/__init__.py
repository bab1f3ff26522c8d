"""zcp — assess zero-carbon industrial parks and factories."""

__version__ = "0.1.0"
