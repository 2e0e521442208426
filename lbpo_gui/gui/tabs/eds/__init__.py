"""The EDS tab (interlayer thickness from STEM-EDS profiles and maps)."""

from .tab import EdsTab

__all__ = ["EdsTab"]
