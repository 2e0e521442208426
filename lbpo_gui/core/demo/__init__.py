"""Built-in demo data: synthetic raw data of the study's samples from small physical models.

``demo_samples(seed)`` returns the nine samples of Table 1 with their datasets; the modules hold
the models (:mod:`.cycling`, :mod:`.impedance`, :mod:`.xps`, :mod:`.eds`), the sample data and
model parameters (:mod:`.samples`) and vendor-format writers (:mod:`.writers`).
"""

from .build import DEFAULT_SEED, DemoSample, demo_samples, write_demo_files

__all__ = ["DEFAULT_SEED", "DemoSample", "demo_samples", "write_demo_files"]
