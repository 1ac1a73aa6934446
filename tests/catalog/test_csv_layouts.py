"""Reading catalog files: Mortar's layouts and the FDA NDC Directory's, row errors by line."""

import contextlib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.catalog.importing.fda import fda_package_size
from portal.catalog.importing.layouts import LayoutError, decode, parse

DATA = Path(__file__).parent / "data"


def _text(name):
    return decode((DATA / name).read_bytes())


def test_sample_products_read_cleanly_in_billing_form():
    parsed = parse(_text("products.csv"))
    assert (parsed.kind, parsed.layout) == ("products", "mortar")
    assert len(parsed.rows) == 22
    assert [row for row in parsed.rows if row.errors] == []
    oxycodone = parsed.rows[0]
    assert oxycodone.line == 2
    assert oxycodone.values["ndc"] == "70518-1032-00"
    assert oxycodone.values["schedule"] == "2"
    assert oxycodone.values["acquisition_cost"] == Decimal("18.40")
    assert oxycodone.ingredients == [("Oxycodone Hydrochloride", "5 mg")]
    ndcs = {row.values["ndc"] for row in parsed.rows}
    assert "59762-3720-01" in ndcs  # 5-4-1 as typed
    assert "00591-0240-01" in ndcs  # 4-4-2 as typed
    assert "65862-0157-01" in ndcs  # 5-3-2 as typed


def test_sample_ingredients_read_cleanly():
    parsed = parse(_text("ingredients.csv"))
    assert (parsed.kind, parsed.layout) == ("ingredients", "mortar")
    assert [row for row in parsed.rows if row.errors] == []
    by_name = {row.values["name"]: row.values for row in parsed.rows}
    assert by_name["Methylparaben"]["allergen_classes"] == "parabens"
    assert by_name["Ketamine Hydrochloride"]["schedule"] == "3"
    assert by_name["Purified Water"]["unit"] == "mL"
    assert by_name["Lidocaine Hydrochloride"]["salt_factor"] == Decimal("1.1556")


def test_row_errors_name_the_line_and_the_column():
    parsed = parse(_text("products_with_errors.csv"))
    errors = {row.line: row.errors for row in parsed.rows if row.errors}
    assert errors == {
        3: [
            "NDC: 10 digits without hyphens are ambiguous (4-4-2, 5-3-2 or 5-4-1); "
            "type the NDC with hyphens as printed on the package"
        ],
        4: ["Package size: 'five hundred' is not a number"],
        6: ["Same NDC as line 5."],
        7: [
            "Package unit: 'bottle' is not a stock unit (each, g or mL)",
            "Cost: cannot be less than 0",
        ],
        8: ["Schedule: C-I substances cannot be stocked or dispensed"],
    }
    assert parsed.rows[3].values["acquisition_cost"] == Decimal("3.95")  # "$3.95"


def test_fda_product_file_needs_package_ndcs():
    parsed = parse(_text("fda_product.txt"))
    assert (parsed.kind, parsed.layout) == ("products", "fda")
    assert all("has no package NDC" in row.errors[0] for row in parsed.rows)


def test_fda_product_and_package_files_give_one_product_per_package():
    parsed = parse(_text("fda_product.txt"), _text("fda_package.txt"))
    assert [row.errors for row in parsed.rows] == [[], [], [], []]
    methylphenidate, cephalexin_100, cephalexin_500, cetirizine = parsed.rows
    assert methylphenidate.values["ndc"] == "71234-0101-01"
    assert methylphenidate.values["schedule"] == "2"
    assert methylphenidate.values["strength"] == "10 mg"
    assert methylphenidate.values["dosage_form"] == "tablet"
    assert methylphenidate.values["manufacturer"] == "Example Labeler Inc."
    assert methylphenidate.ingredients == [("Methylphenidate Hydrochloride", "10 mg")]
    assert (cephalexin_100.line, cephalexin_500.line) == (3, 3)
    assert cephalexin_500.values["package_size"] == 500
    assert cetirizine.values["name"] == "Cetirizine Hydrochloride Oral Solution"
    assert (cetirizine.values["package_size"], cetirizine.values["package_unit"]) == (118, "mL")


def test_fda_rows_with_package_columns_in_the_same_file():
    header = "PRODUCTNDC,PROPRIETARYNAME,NONPROPRIETARYNAME,DOSAGEFORMNAME,SUBSTANCENAME,"
    header += "ACTIVE_NUMERATOR_STRENGTH,ACTIVE_INGRED_UNIT,LABELERNAME,DEASCHEDULE,"
    header += "NDCPACKAGECODE,PACKAGEDESCRIPTION\n"
    row = (
        "0093-0058,Clonazepam,Clonazepam,TABLET,CLONAZEPAM,0.5,mg/1,Teva,CIV,0093-0058-01,"
        '"100 TABLET in 1 BOTTLE (0093-0058-01)"\n'
    )
    [parsed] = parse(header + row).rows
    assert parsed.errors == []
    assert parsed.values["ndc"] == "00093-0058-01"
    assert parsed.values["schedule"] == "4"


@pytest.mark.parametrize(
    "description, size",
    [
        ("100 TABLET in 1 BOTTLE (0002-3227-30)", (100, "each")),
        (
            "1 BOTTLE in 1 CARTON (0591-0405-01) > 100 TABLET, FILM COATED in 1 BOTTLE",
            (100, "each"),
        ),
        ("473 mL in 1 BOTTLE, PLASTIC (0121-0657-16)", (473, "mL")),
        ("30 g in 1 TUBE (0168-0080-30)", (30, "g")),
    ],
)
def test_fda_package_descriptions(description, size):
    assert fda_package_size(description) == size


def test_fda_package_in_mg_is_refused():
    with pytest.raises(ValueError, match="add it by hand"):
        fda_package_size("500 mg in 1 VIAL")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("colour,size\nred,1\n", "does not name the columns"),
        ("ndc,name\n1,2\n", "missing columns: strength"),
        (
            "ndc,name,strength,dosage_form,package_size,package_unit,schedule,manufacturer,"
            "acquisition_cost\n",
            None,
        ),
        ("a\x00b", "not a text file"),
    ],
)
def test_files_that_cannot_be_read_say_why(text, message):
    if message is None:
        assert parse(text).problems == ["The file has a header but no rows."]
        return
    with pytest.raises(LayoutError, match=message):
        parse(text)


def test_windows_1252_files_are_read():
    data = "name,schedule,allergen_classes,potency,unit,cost_per_unit\nCafé base,,,1,g,0.5\n"
    parsed = parse(decode(data.encode("cp1252")))
    assert parsed.rows[0].values["name"] == "Café base"


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_any_text_gives_rows_or_a_layout_error(text):
    products = "ndc,name,strength,dosage_form,package_size,package_unit,schedule,manufacturer,"
    products += "acquisition_cost,active_ingredients\n"
    ingredients = "name,schedule,allergen_classes,potency,unit,cost_per_unit,bulk_ndc\n"
    fda = _text("fda_product.txt").split("\n")[0] + "\tNDCPACKAGECODE\tPACKAGEDESCRIPTION\n"
    for candidate in (text, products + text, ingredients + text, fda + text.replace(",", "\t")):
        with contextlib.suppress(LayoutError):
            parse(candidate)
