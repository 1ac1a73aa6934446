"""Importing a PBM's 835 with 5,000 claim payments against 200k claims, and its page.

What is timed: importing.import_file on an 835 whose CLPs carry Rx numbers (PBM practice):
matching by Rx number, date of service, NDC and amount, the sanity checks (payer, patient
name, payment above billed), posting each claim with its event and audit (in bulk:
transitions.move_many and audit.record_many, the same guarantees as one move at a time), and
the lines kept (a few unknown Rx numbers and over-billed payments wait in the matching
queue). Then the payment's page (GET /claims/remittances/<id>, first page of lines and
every waiting line).
The baseline, in the same process: finding each CLP's claims one query per line (what an
importer without the batched lookup would spend on matching alone, before posting anything).
Targets: the import under 5 s; the page's p50 at most 100 ms.
"""

import os
import random
import secrets
import time
from decimal import Decimal

from bench.common import report, timings
from bench.datagen import make_claims, scratch_app
from portal.auth.models import TerminalSession, User
from portal.claims.claims.models import Claim
from portal.claims.remittance import importing
from portal.claims.remittance.models import RemittanceLine
from portal.foundation.db import db
from portal.patients.models import Patient, Payer

CLAIMS = int(os.environ.get("BENCH_CLAIMS", "200000"))
LINES = int(os.environ.get("BENCH_CLPS", "5000"))
UNKNOWN = 25  # Rx numbers the pharmacy never billed
OVER = 25  # payments above the amount billed


def choose_claims(payer_id: int, count: int) -> list[Claim]:
    """`count` claims of one payer, made "submitted" (waiting on this payment)."""
    ids = [
        i
        for (i,) in Claim.select(Claim.id)
        .where((Claim.payer == payer_id) & (Claim.status != "reversed"))
        .order_by(Claim.id)
        .limit(count)
        .tuples()
    ]
    Claim.update(status="submitted", paid=0, adjudicated=None).where(Claim.id.in_(ids)).execute()
    return list(
        Claim.select(Claim, Patient).join(Patient).where(Claim.id.in_(ids)).order_by(Claim.id)
    )


def build_835(payer: Payer, claims: list[Claim], rng: random.Random) -> str:
    segments = []
    total = Decimal("0.00")
    for n, claim in enumerate(claims):
        billed = claim.billed
        copay = Decimal(rng.choice((0, 0, 200, 500, 1000))) / 100
        contractual = (billed * Decimal(rng.choice((0, 5, 10))) / 100).quantize(Decimal("0.01"))
        copay = min(copay, billed - contractual)
        paid = billed - contractual - copay
        rx = claim.rx_number
        if n < UNKNOWN:
            rx = str(9_000_000 + n)
        elif n < UNKNOWN + OVER:
            paid, contractual, copay = billed + Decimal("100.00"), Decimal("-100.00"), Decimal(0)
        segments += [
            f"CLP*{rx}*1*{billed}*{paid}*{copay}*MC*PBM{n}",
            f"NM1*QC*1*{claim.patient.last_name}*{claim.patient.first_name}****MI*M{n}",
            f"DTM*232*{claim.date_of_service:%Y%m%d}",
            f"SVC*N4:{claim.product_id.replace('-', '')}*{billed}*{paid}**30",
        ]
        if contractual:
            segments.append(f"CAS*CO*45*{contractual}")
        if copay:
            segments.append(f"CAS*PR*3*{copay}")
        total += paid
    body = [
        "ST*835*0001",
        f"BPR*I*{total}*C*ACH************20250310",
        "TRN*1*BENCH835*1411111111",
        f"N1*PR*{payer.name}",
        "N1*PE*MORTAR DEMO PHARMACY*XX*1234567893",
        *segments,
    ]
    body.append(f"SE*{len(body) + 1}*0001")
    isa = (
        "ISA*00*          *00*          *ZZ*PBM            *ZZ*MORTAR         "
        "*250310*1415*^*00501*000000901*0*P*:"
    )
    envelope = [isa, "GS*HP*PBM*MORTAR*20250310*1415*901*X*005010X221A1", *body]
    envelope += ["GE*1*901", "IEA*1*000000901"]
    return "".join(f"{segment}~\n" for segment in envelope)


def naive_matching(claims: list[Claim]) -> None:
    """The baseline: one query per CLP for its Rx number's claims, patient and payer."""
    for claim in claims:
        list(
            Claim.select(Claim, Patient, Payer)
            .join_from(Claim, Patient)
            .join_from(Claim, Payer)
            .where(Claim.rx_number == claim.rx_number)
        )


def main() -> None:
    app = scratch_app("remittance")
    with app.app_context():
        made = make_claims(CLAIMS)
        payer = Payer.select().order_by(Payer.id).first()
        rng = random.Random(16)
        claims = choose_claims(payer.id, LINES)
        text = build_835(payer, claims, rng)
        print(f"{made} claims; an 835 of {len(claims)} CLPs ({len(text) // 1024} KiB)")
        user = User.create(
            username="benchremit",
            full_name="Bench Remittance",
            roles="manager",
            password_hash=secrets.token_hex(16),
        )
        baseline = timings(lambda: naive_matching(claims), repeat=1, warmup=0)
        report("baseline: one lookup per CLP (matching only)", baseline)

        db.close()
        db.connect()
        start = time.perf_counter()
        [result] = importing.import_file(text, "bench.835", user, claims[0].date_of_service)
        took = [time.perf_counter() - start]
        report(f"import {len(claims)} CLPs (match, check, post)", took, baseline, target_ms=5000)
        remittance = result.remittance
        outcomes = {}
        for line in RemittanceLine.select(RemittanceLine.outcome).where(
            RemittanceLine.remittance == remittance
        ):
            outcomes[line.outcome] = outcomes.get(line.outcome, 0) + 1
        print(f"  outcomes: {outcomes}")
        assert outcomes.get("posted") == len(claims) - UNKNOWN - OVER, outcomes

        terminal = TerminalSession.create(terminal="bench-remit", user=user, signed_in_by=user)
        client = app.test_client()
        with client.session_transaction() as session:
            session["terminal"] = terminal.terminal

        def page():
            response = client.get(f"/claims/remittances/{remittance.id}")
            assert response.status_code == 200, response.status_code

        report(
            f"GET /claims/remittances/<id> ({len(claims)} lines)",
            timings(page, repeat=30),
            baseline,
            target_ms=100,
        )
