"""Run one benchmark module (`python -m bench labels`) or every one (`python -m bench all`)."""

import importlib
import pkgutil
import sys
from pathlib import Path

SKIP = {"__main__", "common", "datagen", "bare_app", "plans"}  # not benches: their helpers


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name not in SKIP)
    wanted = argv[1:] or ["all"]
    if wanted == ["all"]:
        wanted = names
    unknown = [name for name in wanted if name not in names]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; have: {', '.join(names)}")
        return 2
    for name in wanted:
        print(f"== bench.{name} ==")
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
