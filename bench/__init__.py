"""Speed measurements: `python -m bench NAME` (or `all`). Each prints ratios against a
baseline run in the same process, never absolute pass/fail timings in the test suite."""
