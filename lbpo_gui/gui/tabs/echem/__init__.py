"""The Electrochemistry tab (galvanostatic cycling): see :class:`.tab.EchemTab`."""

from __future__ import annotations

from .tab import EchemTab

__all__ = ["EchemTab"]
