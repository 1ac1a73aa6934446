"""The calibration label: the page is the stock's paper, the outline sits on every label's
edge, and both ruler bars are 1 inch when printed at 100 % (measured in the rendered
pixels, as someone would with a ruler)."""

import shutil
import subprocess

import pytest
from PIL import Image

from portal.labels.calibration import calibration_pdf, slots, ticks
from portal.labels.models import LabelPrint
from portal.labels.stock import STOCKS
from tests.labels.pdfcheck import page_sizes_in, page_texts

DPI = 200


@pytest.fixture(scope="module")
def jinja_env(jinja_env):
    """The calibration label is a staff page's print (render_template), not a patient's label
    laid out in a worker: its words are marked for translation, so its environment has
    gettext as the app's has (English: the words as written)."""
    env = jinja_env.overlay(extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)
    return env


def _pdf(jinja_env, stock) -> bytes:
    html = jinja_env.get_template("labels/calibration_label.html").render(
        stock=stock, slots=slots(stock), ticks=ticks()
    )
    return calibration_pdf(html, stock)


def _pixels(pdf: bytes, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is missing (apt install poppler-utils; .ci/run does)")
    (tmp_path / "cal.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile"]
        + [str(tmp_path / "cal.pdf"), str(tmp_path / "cal")],
        check=True,
    )
    return Image.open(tmp_path / "cal.png").convert("L")


def _longest_runs(image, limit: int) -> int:
    """The longest run of dark pixels along a row shorter than ``limit`` (so not an
    outline edge, which runs the whole label)."""
    width, height = image.size
    data = image.tobytes()
    best = 0
    for row in range(height):
        line = data[row * width : (row + 1) * width]
        run = 0
        for value in line + b"\xff":
            if value < 128:
                run += 1
            else:
                if run < limit:
                    best = max(best, run)
                run = 0
    return best


@pytest.mark.parametrize("key", sorted(STOCKS))
def test_the_calibration_page_is_the_stock_with_its_name(jinja_env, key):
    stock = STOCKS[key]
    pdf = _pdf(jinja_env, stock)
    assert page_sizes_in(pdf) == [(stock.page_width, stock.page_height)]
    assert page_texts(pdf)[0].count(stock.description) == stock.per_page


@pytest.mark.parametrize("key", sorted(STOCKS))
def test_both_ruler_bars_print_one_inch_and_the_outline_is_on_the_edge(jinja_env, tmp_path, key):
    stock = STOCKS[key]
    image = _pixels(_pdf(jinja_env, stock), tmp_path)
    width, height = image.size
    assert abs(width - stock.page_width * DPI) <= 1 and abs(height - stock.page_height * DPI) <= 1
    label_px = round(stock.label_width * DPI) - 10
    assert abs(_longest_runs(image, label_px) - DPI) <= 2  # across
    down = image.transpose(Image.Transpose.ROTATE_90)  # columns become rows
    assert abs(_longest_runs(down, round(stock.label_height * DPI) - 10) - DPI) <= 2
    for slot in slots(stock):
        middle = round((slot.top + stock.label_height / 2) * DPI)
        left = round(slot.left * DPI)
        right = round((slot.left + stock.label_width) * DPI) - 1
        assert image.getpixel((left, middle)) < 128, "no outline at the label's left edge"
        assert image.getpixel((right, middle)) < 128, "no outline at the label's right edge"


def test_the_setup_page_prints_the_chosen_stock_and_logs_no_label(client_as):
    technician = client_as("technician")
    page = technician.get("/labels/setup")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Thermal roll, 4 x 2.5 in" in text and "in use" in text
    assert "DYMO LabelWriter 30256" in text
    printed = technician.post("/labels/setup", data={"stock": "dymo-30256"})
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    assert page_sizes_in(printed.data) == [(4, 2.3125)]
    assert LabelPrint.select().count() == 0  # no patient's label was printed


def test_an_unknown_stock_is_refused_in_words(client_as):
    answer = client_as("pharmacist").post("/labels/setup", data={"stock": "9x9"})
    assert answer.status_code == 422
    assert "Not a valid choice" in answer.get_data(as_text=True)
