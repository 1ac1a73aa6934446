"""Controlled-substance record rules: 21 CFR 1304.11, 1305.13, 1301.76(b)."""

from decimal import Decimal

from portal.catalog.controlled import rules


def test_a_222_line_for_more_than_was_ordered_is_refused_in_words():
    problem = rules.receipt_problem(
        ordered=Decimal(10), received_before=Decimal(4), receiving=Decimal(7)
    )
    assert "Only 6 of the 10 ordered remain" in problem and "1305.13" in problem
    assert rules.receipt_problem(ordered=10, received_before=4, receiving=6) is None
    assert "more than zero" in rules.receipt_problem(ordered=10, received_before=0, receiving=0)


def test_order_numbers_and_supplier_dea():
    assert rules.order_number_problem("222", "190123456") is None
    assert "serial number" in rules.order_number_problem("222", "12")
    assert rules.order_number_problem("csos", "CSOS-2026-0001") is None
    assert "Choose" in rules.order_number_problem("fax", "190123456")
    assert rules.supplier_dea_problem("PA1234563") is None
    assert "check digit" in rules.supplier_dea_problem("PA1234560")
    assert "Enter the supplier" in rules.supplier_dea_problem("")


def test_a_count_discrepancy_needs_a_pharmacists_explanation():
    same = dict(expected=Decimal(100), counted=Decimal(100), explanation="")
    assert rules.count_problem(**same, by_pharmacist=False) is None
    short = dict(expected=Decimal(100), counted=Decimal(98))
    assert "a pharmacist must explain" in rules.count_problem(
        **short, explanation="x", by_pharmacist=False
    )
    assert "Explain" in rules.count_problem(**short, explanation="", by_pharmacist=True)
    assert (
        rules.count_problem(
            **short, explanation="2 tablets found broken, destroyed", by_pharmacist=True
        )
        is None
    )


def test_biennial_counts_exact_for_c2_and_big_containers():
    assert rules.biennial_count_kind("2") == "exact"
    assert rules.biennial_count_kind("3", Decimal(500)) == "estimated"
    assert rules.biennial_count_kind("4", Decimal(1000)) == "estimated"
    assert rules.biennial_count_kind("4", Decimal(1001)) == "exact"


def test_running_balances_walk_back_from_the_newest():
    assert rules.running_balances(Decimal(70), [Decimal(-30), Decimal(100)]) == [
        Decimal(70),
        Decimal(100),
    ]
