"""What is kept between renders, and the HarfBuzz check the app warns on."""

import os

import weasyprint.text.ffi

from portal.labels import printer
from portal.labels.printer import Printer, harfbuzz_subsetting_available, shared_printer
from portal.labels.render import render_label
from portal.labels.stock import get_stock
from tests.factories import make_label


def test_harfbuzz_subsetting_is_installed_here():
    # CI installs libharfbuzz-subset0 (.ci/run); without it PDFs are slow to write.
    assert harfbuzz_subsetting_available()


def test_harfbuzz_check_agrees_with_weasyprint_own_test():
    ffi = weasyprint.text.ffi
    theirs = ffi.harfbuzz_subset is not None and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))
    assert harfbuzz_subsetting_available() == theirs


def test_harfbuzz_check_fails_without_the_subset_library(monkeypatch):
    real = printer._open_library
    monkeypatch.setattr(
        printer, "_open_library", lambda *names: None if "subset" in names[0] else real(*names)
    )
    assert not harfbuzz_subsetting_available()


def test_stylesheets_and_fonts_are_parsed_once_and_shared(jinja_env):
    printer = shared_printer()
    render_label(make_label(), "3x2", jinja_env)
    css = printer.label_css()
    stock_css = printer.stock_css(get_stock("3x2"))
    fonts = printer.font_config
    render_label(make_label(rx_number="100200"), "3x2", jinja_env)
    assert printer.label_css() is css
    assert printer.stock_css(get_stock("3x2")) is stock_css
    assert shared_printer() is printer and printer.font_config is fonts


def test_an_edited_stylesheet_is_parsed_again(tmp_path):
    path = tmp_path / "label.css"
    path.write_text(".label { color: #000; }")
    printer = Printer(label_css=path)
    first = printer.label_css()
    assert printer.label_css() is first
    path.write_text(".label { color: #111; }")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert printer.label_css() is not first
