"""The label barcode: what it encodes, how a scan is read back, and that it is drawn."""

import re

import pytest
from barcode import Code128

from portal.labels.barcodes import draw_barcode, label_barcode, parse_label_barcode
from portal.labels.render import render_labels
from tests.factories import make_compound_label, make_controlled_label, make_label
from tests.labels.pdfcheck import printed_barcodes

CODE128_STOP = "1100011101011"


def bars_drawn(svg: str) -> str:
    """The SVG's bars as modules, "1" for black, from the first bar to the last.

    The bars are one line dashed with the bar and space widths; its length is the symbol's
    (drawing stops there, so the closing gap only keeps the pattern from repeating).
    """
    (length,) = re.findall(r'd="M\d+ \d+h(\d+)"', svg)
    (dashes,) = re.findall(r'stroke-dasharray="([\d ]+)"', svg)
    modules, color = "", "1"
    for width in map(int, dashes.split()):
        modules += color * width
        color = "0" if color == "1" else "1"
    return modules[: int(length)]


@pytest.mark.parametrize(("rx", "fill"), [("100123", 1), ("7", 0), ("123456789012", 99)])
def test_payload_round_trips_through_the_scanner_reading(rx, fill):
    assert parse_label_barcode(label_barcode(rx, fill)) == (rx, fill)


def test_payload_is_rx_then_fill_number():
    assert label_barcode("100123", 1) == "RX100123-1"
    assert make_label().barcode == "RX100123-1"  # refill 1 of Rx 100123


@pytest.mark.parametrize(
    "scanned", [" RX100123-1\r\n", "rx100123-1", "\tRx100123-1\n", "RX 100123-1"]
)
def test_scanner_whitespace_and_case_are_forgiven(scanned):
    assert parse_label_barcode(scanned) == ("100123", 1)


@pytest.mark.parametrize(
    "scanned",
    [
        "",
        "100123-1",
        "RX100123",
        "RX-1",
        "RXABC-1",
        "RX100123-100",
        "RX1234567890123-1",
        "0312345678901",
        "RX100123-1-2",
    ],
)
def test_anything_else_is_not_a_label_barcode(scanned):
    with pytest.raises(ValueError, match="not a Mortar label barcode"):
        parse_label_barcode(scanned)


@pytest.mark.parametrize("payload", ["RX100123-1", "RX7-0", "RX123456789012-99"])
def test_svg_draws_exactly_the_code_128_modules_of_the_payload(payload):
    drawn = bars_drawn(draw_barcode(payload).svg)
    assert drawn == Code128(payload).build()[0]
    assert drawn.endswith(CODE128_STOP)


def test_bars_are_ten_mil_modules_with_quiet_zones():
    barcode = draw_barcode("RX100123-1")
    modules = len(Code128("RX100123-1").build()[0])
    assert barcode.width_mm == pytest.approx((modules + 20) * 0.254)
    assert f'width="{barcode.width_mm:.3f}mm"' in barcode.svg
    assert f'viewBox="0 0 {modules + 20} 26"' in barcode.svg
    assert 'd="M10 13h' in barcode.svg  # the bars start after a 10-module quiet zone


def test_the_bars_fill_their_height_and_stop_square_at_module_edges():
    svg = draw_barcode("RX100123-1").svg
    assert 'stroke-width="26"' in svg and 'stroke="#000"' in svg
    assert "stroke-linecap" not in svg  # butt ends: a bar ends exactly where its module does


def test_each_label_embeds_its_own_barcode_svg_inline(jinja_env):
    labels = [make_label(), make_compound_label()]
    result = render_labels(labels, "4x2.5", jinja_env)
    sections = result.html.split('<section class="label')[1:]
    assert len(sections) == 2
    for section, payload in zip(sections, ("RX100123-1", "RX100125-0"), strict=True):
        (svg,) = re.findall(r"<svg.*?</svg>", section, re.S)
        assert bars_drawn(svg) == Code128(payload).build()[0]
        assert payload in section  # printed under the bars for eyes and for hand entry


@pytest.mark.parametrize("stock", ["4x2.5", "3x2"])
def test_printed_bars_read_back_as_each_labels_payload(stock, jinja_env, tmp_path):
    labels = [
        make_label(),
        make_controlled_label(),
        make_compound_label(rx_number="123456789012", fill_number=99),
    ]
    pdf = render_labels(labels, stock, jinja_env).pdf
    assert printed_barcodes(pdf, tmp_path) == [
        Code128(label.barcode).build()[0] for label in labels
    ]
