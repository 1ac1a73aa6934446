"""Clinical screening of one fill: a patient with 30 active medications and 10 allergies,
against a knowledge base of 20k interaction pairs and 5k class memberships.

What is timed: what data verification runs for the screening, from the plain facts of the
patient, the new drug and the active medications: getting the knowledge base
(gather.knowledge_base: one one-row query for its version stamp; the copy in memory is read
again only after a change) and every check (rules.run_checks). The first screening after a
change, which reads the whole knowledge base, is timed apart. The baseline is the same with
an empty knowledge base, in the same process and database. Target: p50 <= 5 ms.
"""

import os
import random
import time
from datetime import date
from decimal import Decimal

from bench.common import p50, report, timings
from bench.datagen import scratch_app
from portal.catalog.knowledge.models import (
    ClassMember,
    CrossSensitivity,
    DrugClass,
    Interaction,
    load_starter,
    new_version,
)
from portal.catalog.knowledge.names import term_key
from portal.foundation.db import write_transaction
from portal.prescriptions.screening import gather, rules
from portal.prescriptions.screening.facts import (
    DrugFacts,
    FillFacts,
    IngredientFacts,
    OtherFill,
    PatientAllergy,
    PatientFacts,
    PrescriberFacts,
    RxFacts,
)

PAIRS = int(os.environ.get("BENCH_PAIRS", "20000"))
MEMBERSHIPS = int(os.environ.get("BENCH_MEMBERSHIPS", "5000"))
CLASSES = 500
DRUGS = 3000
TARGET_MS = 5.0


def _drug(name: str) -> DrugFacts:
    return DrugFacts(name=name, ingredients=(IngredientFacts(name),), product_key=name)


def _facts(rng: random.Random):
    names = [f"benchdrug{n:05d}" for n in range(DRUGS)]
    real = ["oxycodone", "sertraline", "warfarin", "lisinopril", "simvastatin"]
    active = [*real, *rng.sample(names, 25)]
    patient = PatientFacts(
        "has_allergies",
        tuple(
            PatientAllergy(a, kind="ingredient")
            for a in ["amoxicillin", "sulfa", "parabens", *rng.sample(names, 7)]
        ),
    )
    others = [OtherFill(rx_number=str(5000 + i), drug=_drug(n)) for i, n in enumerate(active)]
    return patient, _drug("alprazolam"), others, names


def _load(rng: random.Random, names: list[str]) -> None:
    """Random classes, memberships and pairs on top of the starter set."""
    with write_transaction():
        classes = [f"benchclass{n:04d}" for n in range(CLASSES)]
        DrugClass.insert_many(
            [{"name": c, "key": term_key(c), "kind": "drug", "source": "bench"} for c in classes]
        ).execute()
        ids = {row.key: row.id for row in DrugClass.select(DrugClass.id, DrugClass.key)}
        seen, rows = set(), []
        while len(rows) < MEMBERSHIPS:
            cls, member = rng.choice(classes), rng.choice(names)
            if (cls, member) not in seen:
                seen.add((cls, member))
                rows.append(
                    {"drug_class": ids[cls], "member": member, "key": member, "source": "bench"}
                )
        for start in range(0, len(rows), 500):
            ClassMember.insert_many(rows[start : start + 500]).execute()
        terms = names + classes
        seen, rows = set(), []
        while len(rows) < PAIRS:
            a, b = rng.choice(terms), rng.choice(terms)
            if a != b and (a, b) not in seen:
                seen.add((a, b))
                rows.append(
                    {"drug_a": a, "a_key": a, "drug_b": b, "b_key": b, "severity": "major",
                     "effect": "bench effect", "source": "bench"}
                )  # fmt: skip
        for start in range(0, len(rows), 500):
            Interaction.insert_many(rows[start : start + 500]).execute()
        new_version()


def main() -> None:
    app = scratch_app("screening")
    rng = random.Random(14)
    with app.app_context():
        patient, drug, others, names = _facts(rng)
        rx = RxFacts("9000", date.today(), 0, Decimal(30), 30, "1 tab po qd")
        fill = FillFacts(filling_on=date.today())

        def screen():
            knowledge = gather.knowledge_base()
            return rules.run_checks(
                patient=patient,
                prescriber=PrescriberFacts(),
                drug=drug,
                rx=rx,
                fill=fill,
                other_fills=others,
                knowledge=knowledge,
            )

        with write_transaction():
            for model in (Interaction, CrossSensitivity, ClassMember, DrugClass):
                model.delete().execute()
            new_version()
        baseline = timings(screen, repeat=200)
        report("baseline: screening, empty knowledge base", baseline)

        with write_transaction():
            load_starter()
        _load(rng, names)
        print(
            f"knowledge base: {Interaction.select().count()} pairs, "
            f"{ClassMember.select().count()} class memberships, {DrugClass.select().count()} "
            f"classes; patient: {len(others)} active medications, "
            f"{len(patient.allergies)} allergies"
        )
        start = time.perf_counter()
        results = screen()
        print(
            f"first screening after the change (reads the whole knowledge base): "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )
        alerts = [r for r in results if r.shown]
        print(f"one screening gives {len(results)} results, {len(alerts)} shown as alerts")
        samples = timings(screen, repeat=200)
        report("screening: 20k pairs, 5k memberships", samples, baseline, target_ms=TARGET_MS)
        verdict = "PASS" if p50(samples) * 1000 <= TARGET_MS else "FAIL"
        print(
            f"screening p50 {p50(samples) * 1000:.2f} ms, "
            f"{p50(samples) / p50(baseline):.2f}x the empty knowledge base; "
            f"target <= {TARGET_MS:g} ms: {verdict}"
        )


if __name__ == "__main__":
    main()
