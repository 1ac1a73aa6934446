"""Timing helpers shared by the benchmarks."""

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def timings(action: Callable[[], object], repeat: int = 50, warmup: int = 3) -> list[float]:
    """Seconds per call of action, after a few warm-up calls."""
    for _ in range(warmup):
        action()
    result = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        result.append(time.perf_counter() - start)
    return result


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def report(
    name: str,
    samples: list[float],
    baseline: list[float] | None = None,
    target_ms: float | None = None,
) -> None:
    """One line: p50/p95, the ratio to the baseline, and whether the target is met."""
    line = f"{name:44} p50 {ms(p50(samples))}  p95 {ms(p95(samples))}"
    if baseline:
        line += f"  baseline p50 {ms(p50(baseline))}  ratio {p50(samples) / p50(baseline):6.2f}x"
    if target_ms is not None:
        met = p50(samples) * 1000 <= target_ms
        line += f"  target <= {target_ms:g} ms: {'met' if met else 'MISSED'}"
    print(line)


def scratch_dir() -> Path:
    """Where benchmark databases live (git-ignored)."""
    path = Path(__file__).parent / "data"
    path.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(dir=path))
