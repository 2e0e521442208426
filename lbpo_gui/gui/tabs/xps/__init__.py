"""The XPS tab: component fits of one region with drag editing, and series (depth profiles,
before/after) on the analysis-tab base."""

from .tab import XpsTab

__all__ = ["XpsTab"]
