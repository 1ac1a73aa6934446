"""Fast generators of realistic data for the benchmarks.

    app = scratch_app("patient_search")  # fresh migrated SQLite in bench/data/, pharmacy set
    with app.app_context():
        ids = make_patients(100_000)  # names, DOBs, phones, allergies, coverages
        make_claims(200_000)  # claims over two years, with reject codes
    app = cached_app("queue_1000000", lambda: make_fills(1_000_000))  # built once, then reused

Rows go in with Model.insert_many in chunks inside one transaction (about 3 s per 100k
patients); values come from portal.patients.sample_data, seeded, so runs are repeatable.
"""

import heapq
import os
import random
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from peewee import fn

from bench.common import scratch_dir
from portal import create_app, migrate
from portal.foundation.dates import utcnow
from portal.foundation.db import db
from portal.patients import sample_data
from portal.patients.models import Allergy, Coverage, Patient, Payer
from portal.pharmacy.models import Pharmacy

CHUNK = 1000  # rows per INSERT: under SQLite's 32766 bound parameters for wide rows

BENCH_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "bench-secret-key",
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "RATELIMIT_ENABLED": False,
    # What a page costs to render, every time: a kept rendering (portal.foundation.page_cache)
    # would answer a bench's repeated request in well under a millisecond at any size. The
    # throughput and counter-day benches serve with make run's settings, the cache on.
    "PAGE_CACHE": False,
    # Each timed request's access line went to stdout: thousands of lines among the figures.
    # In-process figures leave out its tens of microseconds; the throughput and counter-day
    # servers log as make run does.
    "LOG_LEVEL": "WARNING",
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


def cached_app(name: str, build: Callable[[], object], **config):
    """An app on bench/data/NAME.db, built by build() the first time and reused after.

    The file is built under a temporary name and renamed when complete, so an interrupted
    build is never reused; migrations added since are applied on opening. Put anything that
    changes the data (a count, a generator version) in the name.
    """
    folder = Path(__file__).parent / "data"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.db"
    settings = {**BENCH_CONFIG, "INSTANCE_PATH": str(folder / f"{name}-instance"), **config}
    if not path.exists():
        building = folder / f"{name}.building.db"
        for leftover in folder.glob(f"{name}.building.db*"):
            leftover.unlink()
        app = create_app({**settings, "DATABASE_URL": f"sqlite:///{building}"})
        with app.app_context():
            migrate.upgrade()
            with db.connection_context():
                # A scratch file until renamed: no fsyncs, the undo journal in memory (no
                # WAL as big as the data to copy back), a big page cache for the indexes.
                for pragma in (
                    "journal_mode = MEMORY",
                    "synchronous = OFF",
                    "cache_size = -262144",
                ):
                    db.execute_sql(f"PRAGMA {pragma}")
                make_pharmacy()
                build()
                db.execute_sql("PRAGMA journal_mode = WAL")
        db.close()
        os.replace(building, path)
    app = create_app({**settings, "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context():
        migrate.upgrade()
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
    from portal.claims.claims.models import Claim, ClaimEvent, ClaimReject
    from portal.reports.claims.models import ClaimDayTotal, ClaimRejectMonth

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
                "patient_pay": patient_pay, "status": state, "times_rejected": times_rejected,
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
        ClaimRejectMonth.rebuild()  # and skip reject(), which keeps these
    return count


# ---- fills (bench/queue.py) ----

FILLS_PER_DAY = 400  # a busy community pharmacy
# The work in the queues at any moment is a day's worth, and the ready shelf a week or two of
# bags: it does not grow with the years of picked-up fills behind it.
OPEN_WORK = {"intake": 15, "data_entry": 40, "data_verify": 60, "fill": 45, "compound": 8,
             "final_verify": 35, "ready": 350, "on_hold": 25}  # fmt: skip
HOLD_REASONS = ("Waiting for the prescriber to call back", "Prior authorization pending",
                "Patient asked to fill later", "Out of stock, on order")  # fmt: skip
RETURN_REASONS = ("Wrong strength entered", "Check the days supply", "Wrong prescriber")
DRUGS = (  # name, strengths, dosage form, unit, schedule
    ("Lisinopril", ("5 mg", "10 mg", "20 mg"), "tablet", "tab", None),
    ("Atorvastatin Calcium", ("10 mg", "20 mg", "40 mg"), "tablet", "tab", None),
    ("Levothyroxine Sodium", ("50 mcg", "75 mcg", "100 mcg"), "tablet", "tab", None),
    ("Metformin Hydrochloride", ("500 mg", "1000 mg"), "tablet", "tab", None),
    ("Amlodipine Besylate", ("5 mg", "10 mg"), "tablet", "tab", None),
    ("Omeprazole", ("20 mg", "40 mg"), "delayed-release capsule", "cap", None),
    ("Losartan Potassium", ("25 mg", "50 mg", "100 mg"), "tablet", "tab", None),
    ("Sertraline Hydrochloride", ("50 mg", "100 mg"), "tablet", "tab", None),
    ("Gabapentin", ("100 mg", "300 mg"), "capsule", "cap", None),
    ("Hydrochlorothiazide", ("12.5 mg", "25 mg"), "tablet", "tab", None),
    ("Amoxicillin", ("500 mg",), "capsule", "cap", None),
    ("Amoxicillin", ("400 mg/5 mL",), "powder for oral suspension", "mL", None),
    ("Azithromycin", ("250 mg",), "tablet", "tab", None),
    ("Prednisone", ("10 mg", "20 mg"), "tablet", "tab", None),
    ("Montelukast Sodium", ("10 mg",), "tablet", "tab", None),
    ("Albuterol Sulfate", ("90 mcg/actuation",), "inhalation aerosol", "each", None),
    ("Fluticasone Propionate", ("50 mcg/actuation",), "nasal spray", "each", None),
    ("Escitalopram Oxalate", ("10 mg", "20 mg"), "tablet", "tab", None),
    ("Metoprolol Succinate", ("25 mg", "50 mg"), "extended-release tablet", "tab", None),
    ("Tramadol Hydrochloride", ("50 mg",), "tablet", "tab", "4"),
    ("Alprazolam", ("0.5 mg", "1 mg"), "tablet", "tab", "4"),
    ("Zolpidem Tartrate", ("10 mg",), "tablet", "tab", "4"),
    ("Oxycodone Hydrochloride", ("5 mg", "10 mg"), "tablet", "tab", "2"),
    ("Methylphenidate Hydrochloride", ("10 mg",), "tablet", "tab", "2"),
)
FORMULAS = (("Hydrocortisone", "2.5%", "cream", "topical", "aqueous"),
            ("Progesterone", "100 mg", "capsule", "oral", "solid"),
            ("Magic Mouthwash", "", "oral suspension", "oral", "aqueous"))  # fmt: skip
SIGS = {  # unit: (sig, directions, per day)
    "tab": ("1 tab po qd", "Take 1 tablet by mouth once daily", 1),
    "cap": ("1 cap po bid", "Take 1 capsule by mouth twice daily", 2),
    "mL": ("5 ml po tid", "Take 5 mL by mouth three times daily", 15),
    "each": ("2 puffs inh q4-6h prn", "Inhale 2 puffs every 4 to 6 hours as needed", 0),
}


def _bulk(model, names: tuple[str, ...], rows) -> None:
    """executemany of plain tuples (values already as stored) in the order of names; every
    other column gets the field's default. Several times faster than insert_many of dicts."""
    fields = {f.name: f for f in model._meta.sorted_fields}
    rest = [f for name, f in fields.items() if name not in names]
    constants = tuple(f.db_value(f.default() if callable(f.default) else f.default) for f in rest)
    columns = [fields[name].column_name for name in names] + [f.column_name for f in rest]
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
        model._meta.table_name,
        ", ".join(f'"{c}"' for c in columns),
        ", ".join("?" * len(columns)),
    )
    db.cursor().executemany(sql, (row + constants for row in rows))


def _stamp(moment: datetime) -> str:
    return moment.isoformat(" ")  # as sqlite3 stores a datetime


def _bench_users() -> tuple[list[int], list[int]]:
    """Pharmacists and technicians (ids), made once."""
    from portal.auth.models import User

    staff = {
        "pharmacist": ("Grace Okafor", "Daniel Reyes", "Mei Lin"),
        "technician": ("Tom Becker", "Alicia Moreno", "Sam Patel", "Joy Nguyen", "Ravi Shah"),
    }
    ids: dict[str, list[int]] = {}
    for role, names in staff.items():
        for n, full_name in enumerate(names):
            username = f"bench-{role[:4]}{n}"
            user = User.get_or_none(User.username == username) or User.create(
                username=username,
                full_name=full_name,
                initials="".join(part[0] for part in full_name.split()),
                roles=role,
                password_hash=secrets.token_hex(16),
            )
            ids.setdefault(role, []).append(user.id)
    return ids["pharmacist"], ids["technician"]


def _prescribers(rng: random.Random, count: int) -> list[int]:
    from portal.foundation.identifiers import dea_check_digit, npi_check_digit
    from portal.prescribers.models import Prescriber

    first = (Prescriber.select(fn.MAX(Prescriber.id)).scalar() or 0) + 1
    rows = []
    for n in range(count):
        nine = f"1{first + n:08d}"
        six = f"{first + n:06d}"
        last = rng.choice(sample_data.LAST_NAMES)
        rows.append({
            "last_name": last, "first_name": rng.choice(sample_data.FIRST_NAMES_F),
            "credentials": rng.choice(("MD", "MD", "DO", "NP", "PA")),
            "npi": nine + str(npi_check_digit(nine)),
            "dea": f"B{last[0].upper()}{six}{dea_check_digit(six)}" if rng.random() < 0.8 else None,
            "dea_schedules": "2 2N 3 3N 4 5", "phone": "(217) 555-0190",
        })  # fmt: skip
    _insert(Prescriber, rows)
    return list(range(first, first + count))


def _products() -> list[tuple[int, str, str | None]]:
    """(id, unit, schedule) of a shelf of common generics, each from two makers."""
    from portal.catalog.models import Product

    rows, n = [], 0
    for name, strengths, form, unit, schedule in DRUGS:
        for strength in strengths:
            for maker in ("Prairie Labs", "Cedar Hill Generics"):
                n += 1
                rows.append({
                    "ndc": f"7{n:04d}-{n * 7 % 10000:04d}-01", "name": name,
                    "generic_name": name.lower(), "strength": strength, "dosage_form": form,
                    "package_size": Decimal(100), "package_unit": "mL" if unit == "mL" else "each",
                    "manufacturer": maker, "schedule": schedule,
                })  # fmt: skip
    _insert(Product, rows)
    units = {(n, s): (u, sch) for n, ss, _f, u, sch in DRUGS for s in ss}
    return [
        (pid, *units[(name, strength)])
        for pid, name, strength in Product.select(Product.id, Product.name, Product.strength)
        .order_by(Product.id)
        .tuples()
    ]


def _formulas(creator: int) -> list[int]:
    from portal.catalog.formulas.models import Formula

    now = utcnow()
    _insert(Formula, [
        {"name": name, "strength": strength, "dosage_form": form, "route": route,
         "basis_quantity": Decimal(100), "basis_unit": "g", "preparation_type": kind,
         "status": "approved", "created_by": creator, "approved_by": creator,
         "approved_at": now}
        for name, strength, form, route, kind in FORMULAS
    ])  # fmt: skip
    return [f.id for f in Formula.select(Formula.id).order_by(Formula.id.desc()).limit(3)]


RX_COLUMNS = ("id", "rx_number", "patient", "prescriber", "product", "formula", "sig",
              "directions", "quantity", "quantity_unit", "days_supply", "refills_authorized",
              "written_on", "expires_on", "origin", "schedule", "created_by", "created_at",
              "updated_at")  # fmt: skip
FILL_COLUMNS = ("id", "prescription", "patient", "fill_number", "status", "held_from",
                "hold_reason", "priority", "queue_rank", "return_reason", "quantity",
                "days_supply", "refills_remaining", "filled_on", "created_by", "created_at",
                "entered_by", "entered_at", "data_verified_by", "data_verified_at", "filled_by",
                "filled_at", "final_verified_by", "final_verified_at", "handed_out_by",
                "picked_up_at", "picked_up_by", "picked_up_relationship", "counseling_offered",
                "counseling_accepted", "status_changed_at", "updated_at")  # fmt: skip
# How far along the workflow each state is (which step columns are set).
_STEP = {"intake": 0, "data_entry": 0, "data_verify": 1, "fill": 2, "compound": 2,
         "final_verify": 3, "ready": 4, "picked_up": 5, "cancelled": 1, "on_hold": 1}  # fmt: skip


class _FillMaker:
    """Writes prescriptions and their fills in time order, a chunk at a time."""

    def __init__(self, rng, patients, prescribers, products, formulas, staff, now):
        self.rng, self.now = rng, now
        self.patients, self.prescribers, self.products, self.formulas = (
            patients, prescribers, products, formulas)  # fmt: skip
        self.pharmacists, self.technicians = staff
        self.rx_id = (db.execute_sql("SELECT MAX(id) FROM prescription").fetchone()[0] or 0) + 1
        self.fill_id = (db.execute_sql("SELECT MAX(id) FROM fill").fetchone()[0] or 0) + 1
        self.rx_rows: list[tuple] = []
        self.fill_rows: list[tuple] = []
        self.made = 0
        self.states: dict[str, int] = {}

    def prescription(self, written: datetime, compound: bool = False) -> tuple:
        """A new prescription written at `written`; returns what its fills need."""
        rng = self.rng
        patient = rng.choice(self.patients)
        if compound:
            product, unit, schedule, formula = None, "g", None, rng.choice(self.formulas)
        else:
            product, unit, schedule = rng.choice(self.products)
            formula = None
        days = rng.choice((30, 30, 30, 90, 10, 7)) if not schedule else 30
        refills = 0 if schedule == "2" else rng.choice((0, 1, 2, 3, 5, 5, 11, 11))
        if days < 30:
            refills = 0
        sig, directions, per_day = SIGS.get(unit, ("aa bid", "Apply twice daily", 0))
        quantity = per_day * days if per_day else rng.choice((1, 2, 30, 60))
        rx_id, self.rx_id = self.rx_id, self.rx_id + 1
        stamp = _stamp(written)
        self.rx_rows.append((
            rx_id, 100000 + rx_id, patient, rng.choice(self.prescribers), product, formula, sig,
            directions, quantity * 10000, unit, days, refills, written.date().isoformat(),
            (written.date() + timedelta(days=180 if schedule else 365)).isoformat(),
            rng.choice(("electronic", "electronic", "electronic", "fax", "phone", "written")),
            schedule, rng.choice(self.technicians), stamp, stamp,
        ))  # fmt: skip
        return rx_id, patient, quantity, days, refills

    def fill(self, rx: tuple, number: int, state: str, at: datetime) -> None:
        """One fill of rx, received at `at`, taken as far as `state`."""
        rng = self.rng
        rx_id, patient, quantity, days, refills = rx
        priority = rng.choices(("waiting", "today", "delivery"), (25, 65, 10))[0]
        rank = {"waiting": 1, "today": 2, "delivery": 3}[priority]
        step = _STEP[state]
        times, users, moment = [], [], at
        for n in range(5):
            moment += timedelta(minutes=rng.randrange(3, 90 if n < 4 else 60 * 24 * 3))
            moment = min(moment, self.now - timedelta(minutes=5 - n))
            times.append(_stamp(moment) if n < step else None)
            pool = self.technicians if n in (0, 2) else self.pharmacists
            users.append(rng.choice(pool) if n < step else None)
        held_from = hold_reason = return_reason = None
        if state == "on_hold":
            held_from = rng.choice(("data_verify", "fill", "data_entry"))
            hold_reason = rng.choice(HOLD_REASONS)
        if state == "data_entry" and rng.random() < 0.15:  # returned by the pharmacist
            rank, return_reason = 0, rng.choice(RETURN_REASONS)
            users[0], times[0] = rng.choice(self.technicians), _stamp(at)
        picked = state == "picked_up"
        changed = times[step - 1] if step and times[step - 1] else _stamp(at)
        fill_id, self.fill_id = self.fill_id, self.fill_id + 1
        self.fill_rows.append((
            fill_id, rx_id, patient, number, state, held_from, hold_reason or "", priority, rank,
            return_reason or "", quantity * 10000, days, max(refills - number, 0),
            times[2][:10] if times[2] else None, rng.choice(self.technicians), _stamp(at),
            users[0], times[0], users[1], times[1], users[2], times[2], users[3], times[3],
            users[4], times[4], "Patient" if picked else "", "patient" if picked else "",
            True if picked else None, (rng.random() < 0.3) if picked else None, changed, changed,
        ))  # fmt: skip
        self.made += 1
        self.states[state] = self.states.get(state, 0) + 1

    def flush(self) -> None:
        _bulk(_model("Prescription"), RX_COLUMNS, self.rx_rows)
        _bulk(_model("Fill"), FILL_COLUMNS, self.fill_rows)
        self.rx_rows, self.fill_rows = [], []


def _model(name: str):
    from portal.prescriptions.fills.models import Fill
    from portal.prescriptions.models import Prescription

    return {"Fill": Fill, "Prescription": Prescription}[name]


def make_fills(count: int, seed: int = 5) -> dict[str, int]:
    """Insert about count fills (and their patients, prescribers, products, prescriptions):
    FILLS_PER_DAY a day back from yesterday, originals and refills as they come due, nearly
    all picked up (some cancelled), then today's open work (OPEN_WORK) on top. Returns the
    number of fills per state. FillEvents and audit events are not made (no queue reads them).
    """
    rng = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    history = max(count - sum(OPEN_WORK.values()), 0)
    with db.atomic():
        patients = make_patients(max(300, count // 30), seed=seed)
        pharmacists, technicians = _bench_users()
        maker = _FillMaker(
            rng, patients, _prescribers(rng, max(50, min(600, count // 1500))), _products(),
            _formulas(pharmacists[0]), (pharmacists, technicians), now,
        )  # fmt: skip
        due = _history(maker, history)
        _open_work(maker, due, count)
        maker.flush()
    return maker.states


def _history(maker: _FillMaker, history: int) -> list:
    """FILLS_PER_DAY picked-up (or cancelled) fills a day up to yesterday: refills as they come
    due, topped up with new prescriptions. Returns the refills due next (a heap)."""
    rng = maker.rng
    due: list[tuple[date, int, tuple]] = []  # (day the next refill is due, number, rx)
    days = max(history // FILLS_PER_DAY, 1)
    start = maker.now.date() - timedelta(days=days)
    for offset in range(days):
        day = start + timedelta(days=offset)
        wanted = min(FILLS_PER_DAY, history - maker.made)
        todays: list[tuple] = []
        while due and due[0][0] <= day and len(todays) < wanted:
            _due, number, rx = heapq.heappop(due)
            if rng.random() < 0.9:  # some patients stop or move away
                todays.append((rx, number))
        todays += [(None, 0)] * (wanted - len(todays))
        opened = datetime(day.year, day.month, day.day, 13)  # 8 am in Chicago, in UTC
        moments = sorted(
            opened + timedelta(seconds=rng.randrange(12 * 3600), microseconds=rng.randrange(10**6))
            for _ in todays
        )
        for (rx, number), at in zip(todays, moments, strict=True):
            if rx is None:
                written = at - timedelta(hours=rng.randrange(0, 72))
                rx = maker.prescription(written, compound=rng.random() < 0.01)
            maker.fill(rx, number, "cancelled" if rng.random() < 0.035 else "picked_up", at)
            if number < rx[4]:
                next_due = day + timedelta(days=max(1, int(rx[3] * rng.uniform(0.8, 1.1))))
                heapq.heappush(due, (next_due, number + 1, rx))
        if len(maker.fill_rows) >= 20_000:
            maker.flush()
    return due


def _open_work(maker: _FillMaker, due: list, count: int) -> None:
    """Today's work in every queue: new prescriptions and refills that came due."""
    rng = maker.rng
    for state, number_open in OPEN_WORK.items():
        back = 14 * 24 if state == "ready" else 30 * 24 if state == "on_hold" else 10
        for _ in range(min(number_open, count - maker.made)):
            at = maker.now - timedelta(hours=rng.uniform(0.2, back))
            if due and rng.random() < 0.5 and state != "compound":
                _due, number, rx = heapq.heappop(due)
            else:
                rx, number = maker.prescription(at, compound=state == "compound"), 0
            maker.fill(rx, number, state, at)


def copy_to_postgres(source: Path, base_url: str, schema: str) -> str:
    """A PostgreSQL copy of a generated SQLite database; returns the URL that reads it.

    The copy lives in its own schema of base_url's database (a PORTAL_TEST_POSTGRES-style
    URL), dropped and made afresh: migrated there, every row copied through the models (so
    booleans, dates and money arrive as PostgreSQL types), the id sequences moved past the
    copied ids, then ANALYZE, as after any bulk import.
    """
    from peewee import AutoField

    from portal.foundation.db import make_database, refresh_statistics
    from portal.schema import all_models

    admin = make_database(base_url)
    admin.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    admin.close()
    url = f"{base_url}{'&' if '?' in base_url else '?'}options=-csearch_path%3D{schema}"
    target, sqlite = make_database(url), make_database(f"sqlite:///{source}")
    db.initialize(target)
    with target.connection_context():
        migrate.runner().up()
        models = all_models()
        with target.atomic():
            # Rows go in table by table, not in the order the foreign keys ask for.
            target.execute_sql("SET LOCAL session_replication_role = replica")
            for model in reversed(models):  # the rows migrations seed come with the copy
                target.execute_sql(f'DELETE FROM "{model._meta.table_name}"')
            for model in models:
                _copy_rows(model, sqlite, target)
                key = model._meta.primary_key
                if isinstance(key, AutoField):
                    table, column = model._meta.table_name, key.column_name
                    target.execute_sql(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                        f'COALESCE(MAX("{column}"), 0) + 1, false) FROM "{table}"'
                    )
        refresh_statistics()
    sqlite.close()
    return url


def _copy_rows(model, source, target) -> None:
    """Every row of model's table from source to target, in chunks (SQLite's rowid order)."""
    from peewee import SQL

    fields = model._meta.sorted_fields
    last = 0
    while True:
        with source.bind_ctx([model], bind_refs=False, bind_backrefs=False):
            rows = list(
                model.select(SQL("rowid"), *fields)
                .where(SQL("rowid") > last)
                .order_by(SQL("rowid"))
                .limit(CHUNK)
                .tuples()
            )
        if not rows:
            return
        last = rows[-1][0]
        with target.bind_ctx([model], bind_refs=False, bind_backrefs=False):
            model.insert_many([row[1:] for row in rows], fields=fields).execute()


def drop_postgres_copy(base_url: str, schema: str) -> None:
    """Drop a copy made by copy_to_postgres (the server's database is often a shared one)."""
    from portal.foundation.db import make_database

    admin = make_database(base_url)
    admin.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    admin.close()
