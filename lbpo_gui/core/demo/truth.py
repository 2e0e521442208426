"""What the demo generators built each dataset from: for tests that check an analysis recovers it.

The truth never enters a dataset (its metadata holds only what an instrument file would), and no
analysis code imports this module (``tests/core/demo/test_demo_truth.py`` checks both). Tests ask
:func:`dataset_truth` with the sample name and dataset label of the demo project.
"""

from __future__ import annotations

from . import samples as S
from .cycling import long_test_truth, rate_test_truth
from .eds import eds_profile_truth
from .impedance import impedance_truth
from .xps import b1s_truth, core_level_truth

__all__ = [
    "b1s_truth",
    "core_level_truth",
    "dataset_truth",
    "eds_profile_truth",
    "impedance_truth",
    "long_test_truth",
    "rate_test_truth",
]


def dataset_truth(sample: str, label: str) -> dict:
    """The truth of the demo dataset labelled ``label`` of sample ``sample``.

    Raises KeyError for a label the demo does not make.
    """
    if label.startswith("Rate test"):
        return rate_test_truth(sample)
    if label.startswith("100 cycles"):
        return long_test_truth(sample)
    if label.startswith("EIS"):
        return impedance_truth(sample)
    if label.startswith("EDS "):
        return eds_profile_truth(sample, label[4:])
    if label.startswith("B 1s etch"):
        seconds = float(label.split()[3])
        return b1s_truth(list(S.B1S_ETCH_TIMES_S).index(seconds))
    for region in ("S 2p", "P 2p"):
        if label.startswith(region + " "):
            return core_level_truth(sample, label[len(region) + 1 :], region)
    raise KeyError(f"the demo makes no dataset labelled {label!r}")
