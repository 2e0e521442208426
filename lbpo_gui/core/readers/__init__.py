"""Instrument-file readers: one module per vendor format plus a content-sniffing registry."""

from .base import DATASET_KINDS, REQUIRED_COLUMNS, ImportedData
from .registry import ReaderSpec, choose_reader, get_reader, read, reader, readers, register

__all__ = [
    "DATASET_KINDS",
    "REQUIRED_COLUMNS",
    "ImportedData",
    "ReaderSpec",
    "choose_reader",
    "get_reader",
    "read",
    "reader",
    "readers",
    "register",
]
