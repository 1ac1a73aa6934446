"""Whatever is typed into an inventory form: a page with messages or a saved change, never
an error page, and nothing saved when the page says something is wrong."""

import io
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.audit.models import AuditEvent
from portal.catalog.models import Ingredient, Product
from portal.catalog.stock.models import Lot, StockMovement
from tests.catalog.test_views import INGREDIENT, PRODUCT
from tests.factories import make_lot, make_product

TYPED = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NUMBERISH = st.one_of(
    TYPED,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.sampled_from(["0", "-1", "1e9", "1E+400", "0.00001", "$5", "1,000", "NaN", "Infinity"]),
)
DATEISH = st.one_of(
    TYPED,
    st.dates().map(lambda d: d.strftime("%m/%d/%Y")),
    st.sampled_from(["02/30/2026", "13/2026", "00/2026", "01/0000", "12/9999", "2026-02-29"]),
)
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _counts():
    return (
        Product.select().count(),
        Ingredient.select().count(),
        Lot.select().count(),
        StockMovement.select().count(),
        AuditEvent.select().where(AuditEvent.action != "login").count(),
    )


def _post(client, url, data):
    before = _counts()
    response = client.post(url, data=data)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert _counts() == before, "an invalid form saved something"
    return response


@FUZZ
@given(
    typed=st.dictionaries(st.sampled_from(sorted(PRODUCT)), st.one_of(TYPED, NUMBERISH), max_size=5)
)
def test_product_form_never_fails(client_as, typed):
    client = client_as("pharmacist")
    if _post(client, "/inventory/products/new", {**PRODUCT, **typed}).status_code == 302:
        Product.delete().execute()


@FUZZ
@given(
    typed=st.dictionaries(
        st.sampled_from(sorted(INGREDIENT)), st.one_of(TYPED, NUMBERISH), max_size=5
    )
)
def test_ingredient_form_never_fails(client_as, typed):
    client = client_as("pharmacist")
    if _post(client, "/inventory/ingredients/new", {**INGREDIENT, **typed}).status_code == 302:
        Ingredient.delete().execute()


@FUZZ
@given(
    lot_number=TYPED,
    expires_on=DATEISH,
    received_on=DATEISH,
    quantity=NUMBERISH,
    count_in=st.sampled_from(["units", "packages", "crates", ""]),
)
def test_receive_form_never_fails(
    client_as, lot_number, expires_on, received_on, quantity, count_in
):
    product = make_product()
    data = {
        "lot_number": lot_number,
        "expires_on": expires_on,
        "received_on": received_on,
        "quantity": quantity,
        "count_in": count_in,
        "supplier": "",
        "note": "",
    }
    _post(client_as("technician"), f"/inventory/products/{product.id}/receive", data)


@FUZZ
@given(
    reason=st.sampled_from(["dispensed", "compounded", "returned", "expired", "destroyed", "x"]),
    quantity=NUMBERISH,
    note=TYPED,
    allow=st.sampled_from(["", "y"]),
    why=TYPED,
    role=st.sampled_from(["technician", "pharmacist"]),
)
def test_move_and_count_forms_never_fail(client_as, reason, quantity, note, allow, why, role):
    lot = make_lot(quantity=10, expires_on=date.today() + timedelta(days=90))
    client = client_as(role)
    data = {
        "reason": reason,
        "quantity": quantity,
        "note": note,
        "allow_negative": allow,
        "override_reason": why,
    }
    _post(client, f"/inventory/lots/{lot.id}/move", data)
    _post(client, f"/inventory/lots/{lot.id}/count", {"counted": quantity, "note": note})
    assert Lot.out_of_step().count() == 0


@FUZZ
@given(lot_number=TYPED, expires_on=DATEISH, supplier=TYPED, notes=TYPED)
def test_lot_correction_and_destruction_never_fail(
    client_as, lot_number, expires_on, supplier, notes
):
    lot = make_lot(quantity=10)
    client = client_as("pharmacist")
    data = {
        "lot_number": lot_number,
        "expires_on": expires_on,
        "supplier": supplier,
        "notes": notes,
    }
    _post(client, f"/inventory/lots/{lot.id}/edit", data)
    _post(client, f"/inventory/lots/{lot.id}/destroy", {"note": notes})


@FUZZ
@given(q=TYPED, days=TYPED)
def test_lists_and_searches_never_fail(client_as, q, days):
    client = client_as("technician")
    for url in ("/inventory/products", "/inventory/ingredients"):
        assert client.get(url, query_string={"q": q}).status_code == 200
    assert client.get("/inventory/expiring", query_string={"days": days}).status_code == 200


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(
            lambda t: (
                "ndc,name,strength,dosage_form,package_size,package_unit,schedule,"
                "manufacturer,acquisition_cost\n" + t
            ).encode()
        ),
    )
)
def test_any_uploaded_file_gives_a_preview_or_a_message(client_as, content):
    client = client_as("pharmacist")
    before = _counts()
    response = client.post(
        "/inventory/import",
        data={"file": (io.BytesIO(content), "upload.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        preview = client.get(response.headers["Location"])
        assert preview.status_code == 200
    assert _counts() == before
