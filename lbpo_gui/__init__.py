"""LBPO Workbench: coated-cathode analysis from raw instrument files to the study's tables."""

__version__ = "0.1.0"
APP_NAME = "LBPO Workbench"
