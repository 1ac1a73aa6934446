"""Fixtures for the claims domain tests: sample 835 files and an 835 builder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

PAYER_HEADER = (
    "BPR*C*{payment}*C*CHK************20250310",
    "TRN*1*CHK0001*1512345678",
    "N1*PR*MEDRX BENEFIT SERVICES",
    "N1*PE*MORTAR DEMO PHARMACY*XX*1234567893",
)


def build_835(
    *body: str,
    payment: str = "0",
    header: tuple[str, ...] = PAYER_HEADER,
    version: str = "005010X221A1",
    transaction_code: str = "835",
) -> str:
    """An 835 interchange around ``body`` segments (written with "*"), counts filled in.

    ``header`` defaults to BPR/TRN/N1 segments; "{payment}" in it becomes ``payment``.
    """
    transaction = [
        f"ST*{transaction_code}*0001",
        *(segment.format(payment=payment) for segment in header),
        *body,
    ]
    transaction.append(f"SE*{len(transaction) + 1}*0001")
    isa = (
        "ISA*00*          *00*          *ZZ*MEDRXPBM       *ZZ*MORTARDEMO     "
        "*250310*1415*^*00501*000000901*0*T*:"
    )
    segments = [
        isa,
        f"GS*HP*MEDRXPBM*MORTARDEMO*20250310*1415*901*X*{version}",
        *transaction,
        "GE*1*901",
        "IEA*1*000000901",
    ]
    return "".join(f"{segment}~\n" for segment in segments)


@pytest.fixture(scope="session")
def sample_835() -> Callable[[str], str]:
    """Read a sample 835 from tests/claims/data by name, e.g. sample_835("denial")."""

    def read(name: str) -> str:
        return (DATA / f"{name}.835").read_text()

    return read


@pytest.fixture(scope="session")
def make_835() -> Callable[..., str]:
    """The build_835 helper, as a fixture (tests here are not importable as a package)."""
    return build_835
