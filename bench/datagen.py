"""Fast generators of realistic data for the benchmarks.

    app = scratch_app("patient_search")  # fresh migrated SQLite in bench/data/, pharmacy set
    with app.app_context():
        ids = make_patients(100_000)  # names, DOBs, phones, allergies, coverages
        make_claims(200_000)  # claims over two years, with reject codes

Rows go in with Model.insert_many in chunks inside one transaction (about 3 s per 100k
patients); values come from portal.patients.sample_data, seeded, so runs are repeatable.
"""

import random
import secrets
from datetime import date, timedelta
from decimal import Decimal

from peewee import fn

from bench.common import scratch_dir
from portal import create_app, migrate
from portal.core.models import Pharmacy
from portal.db import db
from portal.patients import sample_data
from portal.patients.models import Allergy, Coverage, Patient, Payer
from portal.timeutil import utcnow

CHUNK = 1000  # rows per INSERT: under SQLite's 32766 bound parameters for wide rows

BENCH_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "bench-secret-key",
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "RATELIMIT_ENABLED": False,
}


def scratch_app(name: str = "bench", **config):
    """An app on a new, migrated SQLite database under bench/data/ with the pharmacy set up."""
    folder = scratch_dir()
    settings = {
        **BENCH_CONFIG,
        "DATABASE_URL": f"sqlite:///{folder / f'{name}.db'}",
        "INSTANCE_PATH": str(folder / "instance"),
        **config,
    }
    app = create_app(settings)
    with app.app_context():
        migrate.upgrade()
        make_pharmacy()
    return app


def make_pharmacy() -> Pharmacy:
    return Pharmacy.current() or Pharmacy.create(
        name="Bench Pharmacy",
        address_line1="1 Bench Street",
        city="Springfield",
        state="IL",
        postal_code="62701",
        phone="(217) 555-0100",
        npi="1234567893",
        ncpdp_id="1456789",
        time_zone="America/Chicago",
    )


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        model.insert_many(rows[start : start + CHUNK]).execute()


def make_payers() -> list[Payer]:
    """The sample payers (once)."""
    if not Payer.select().exists():
        _insert(
            Payer,
            [
                {"name": n, "code": c, "bin": b, "pcn": p, "processor": pr, "phone": ph,
                 "active": True, "created_at": utcnow()}
                for n, c, b, p, pr, ph in sample_data.PAYERS
            ],
        )  # fmt: skip
    return list(Payer.select().order_by(Payer.id))


def make_patients(
    count: int, seed: int = 1, allergies: bool = True, coverages: bool = True
) -> list[int]:
    """Insert count realistic patients (and their allergies and coverages); returns their ids."""
    rng = random.Random(seed)
    today = date.today()
    payers = make_payers()
    with db.atomic():
        first_id = (Patient.select(fn.MAX(Patient.id)).scalar() or 0) + 1
        rows = [sample_data.patient_values(rng, today, n) for n in range(count)]
        drawn = [sample_data.allergy_draw(rng) if allergies else [] for _ in range(count)]
        for row, patient_allergies in zip(rows, drawn, strict=True):
            if patient_allergies:
                row["allergy_status"] = "has_allergies"
            elif rng.random() < 0.6:
                row["allergy_status"] = "nkda"
        _insert(Patient, rows)
        ids = list(range(first_id, first_id + count))
        now = utcnow()
        allergy_rows = [
            {"patient": pid, "allergen": a, "kind": k, "reaction": r, "severity": s,
             "recorded_at": now}
            for pid, patient_allergies in zip(ids, drawn, strict=True)
            for a, k, r, s in patient_allergies
        ]  # fmt: skip
        _insert(Allergy, allergy_rows)
        if coverages:
            coverage_rows = []
            for pid in ids:
                if rng.random() < 0.8:
                    payer = rng.choice(payers)
                    coverage_rows.append(
                        {"patient": pid, "payer": payer.id, "bin": payer.bin, "pcn": payer.pcn,
                         "group_number": f"RX{rng.randrange(1000, 9999)}",
                         "member_id": f"{payer.code[:2]}{rng.randrange(10**8, 10**9)}",
                         "person_code": "01", "relationship": "1", "rank": "primary",
                         "active": True, "created_at": now}
                    )  # fmt: skip
            _insert(Coverage, coverage_rows)
    return ids


# ---- claims (bench/claims_dashboard.py) ----

CLAIM_STATES = (  # (state, weight): most claims are paid; some wait, some were rejected
    ("paid", 70), ("partially_paid", 5), ("rejected", 8), ("submitted", 7), ("reversed", 2),
    ("written_off", 2), ("billed_patient", 1), ("appealed", 1), ("billed_secondary", 1),
    ("draft", 3),
)  # fmt: skip
REJECT_DRAW = (("75", 30), ("79", 20), ("70", 12), ("76", 10), ("MR", 8), ("07", 6),
               ("41", 5), ("88", 4), ("65", 3), ("E7", 2))  # fmt: skip
WERE_REJECTED = {"rejected", "appealed", "written_off", "billed_patient", "billed_secondary"}


def make_claims(count: int, seed: int = 11, days: int = 730, patients: int = 20_000) -> int:
    """Insert count claims over the last `days` days of service, with reject codes; returns the
    number of claims. Patients and coverages come from make_patients (made if missing)."""
    from portal.auth.models import User
    from portal.claims.models import Claim, ClaimEvent, ClaimReject
    from portal.claims.totals_models import ClaimDayTotal

    rng = random.Random(seed)
    today = date.today()
    if not Coverage.select().exists():
        make_patients(patients, allergies=False)
    coverages = list(Coverage.select(Coverage.id, Coverage.patient, Coverage.payer).tuples())
    user = User.get_or_none(User.username == "benchclaims") or User.create(
        username="benchclaims",
        full_name="Bench Claims",
        roles="technician manager",
        password_hash=secrets.token_hex(16),
    )
    states = [s for s, _ in CLAIM_STATES]
    weights = [w for _, w in CLAIM_STATES]
    codes = [c for c, _ in REJECT_DRAW]
    code_weights = [w for _, w in REJECT_DRAW]
    payer_codes = dict(Payer.select(Payer.id, Payer.code).tuples())
    now = utcnow()
    cents = Decimal("0.01")
    with db.atomic():
        first_id = (Claim.select(fn.MAX(Claim.id)).scalar() or 0) + 1
        rows, rejected, days_of = [], [], {}
        for n in range(count):
            coverage_id, patient_id, payer_id = rng.choice(coverages)
            state = rng.choices(states, weights)[0]
            served = today - timedelta(days=int(rng.triangular(0, days, days * 0.15)))
            ingredient = Decimal(rng.randrange(300, 45000)) * cents
            fee = Decimal("10.50")
            billed = ingredient + fee
            paid = patient_pay = Decimal("0.00")
            if state in ("paid", "partially_paid", "billed_secondary"):
                patient_pay = Decimal(rng.choice((0, 500, 1000, 2500))) * cents
                paid = max(billed - patient_pay - Decimal(rng.randrange(0, 800)) * cents, cents)
                if state == "partially_paid":
                    paid = (paid / 2).quantize(cents)
            times_rejected = 1 if state in WERE_REJECTED or rng.random() < 0.1 else 0
            is_open = state in ("rejected", "partially_paid", "submitted", "appealed", "draft")
            rows.append({
                "claim_reference": f"{500000 + first_id + n}-0-{payer_codes[payer_id]}",
                "patient": patient_id, "coverage": coverage_id, "payer": payer_id,
                "rx_number": str(500000 + first_id + n), "fill_number": 0,
                "product_id": "00093-0150-01", "product_description": "Lisinopril 10 mg tablet",
                "quantity": Decimal(30), "days_supply": 30, "date_of_service": served,
                "ingredient_cost": ingredient, "dispensing_fee": fee,
                "compounding_fee": Decimal("0.00"), "billed": billed, "paid": paid,
                "patient_pay": patient_pay, "state": state, "times_rejected": times_rejected,
                "written_off": billed if state == "written_off" else Decimal("0.00"),
                "days_to_payment": rng.randrange(2, 60) if paid else None,
                "follow_up_on": today + timedelta(days=rng.randrange(-20, 10)) if is_open else None,
                "created_by": user.id, "created_at": now, "updated_at": now,
            })  # fmt: skip
            if times_rejected:
                rejected.append(first_id + n)
                days_of[first_id + n] = (served, payer_id)
        _insert(Claim, rows)
        event_rows = [
            {"claim": claim_id, "kind": "response", "from_state": "submitted",
             "to_state": "rejected", "user": user.id, "at": now, "note": "rejected"}
            for claim_id in rejected
        ]  # fmt: skip
        first_event = (ClaimEvent.select(fn.MAX(ClaimEvent.id)).scalar() or 0) + 1
        _insert(ClaimEvent, event_rows)
        reject_rows = []
        for offset, claim_id in enumerate(rejected):
            drawn = set(rng.choices(codes, code_weights, k=rng.choice((1, 1, 1, 2))))
            for position, code in enumerate(sorted(drawn), start=1):
                reject_rows.append(
                    {"claim": claim_id, "event": first_event + offset, "position": position,
                     "code": code, "rejected_at": now, "date_of_service": days_of[claim_id][0],
                     "payer": days_of[claim_id][1]}
                )  # fmt: skip
        _insert(ClaimReject, reject_rows)
        ClaimDayTotal.rebuild()  # bulk inserts skip Claim.save, which keeps them in step
    return count
