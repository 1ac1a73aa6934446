"""`make bench` (python -m bench all) runs every bench module and nothing else."""

import importlib
import pkgutil
from pathlib import Path

import bench
from bench.__main__ import SKIP


def test_every_module_bench_all_runs_is_a_bench():
    here = Path(bench.__file__).parent
    for module in pkgutil.iter_modules([str(here)]):
        if module.name in SKIP:
            continue
        found = importlib.import_module(f"bench.{module.name}")
        assert callable(getattr(found, "main", None)), f"bench.{module.name} has no main()"


def test_a_name_it_does_not_know_is_refused(capsys):
    from bench.__main__ import main

    assert main(["bench", "no_such_bench"]) == 2
    assert "no_such_bench" in capsys.readouterr().out
