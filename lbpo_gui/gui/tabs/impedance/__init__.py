"""The Impedance tab (see :mod:`.tab`)."""

from .tab import ImpedanceTab

__all__ = ["ImpedanceTab"]
