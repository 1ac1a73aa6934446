"""Server-side printing to a CUPS queue chosen per terminal: with `cups` and
`printer-driver-cups-pdf` (installed by .ci/run), a label printed at a terminal whose
printer is a cups-pdf queue appears as a PDF file, and it is the label."""

import os
import pwd
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from barcode import Code128

from portal.labels import cups
from portal.labels.barcodes import label_barcode
from portal.labels.models import LabelPrint
from tests.factories import advance_fill, make_fill
from tests.labels.pdfcheck import page_sizes_in, printed_barcodes

# One worker runs them all: the fixture may start cupsd and stops it after the module, which
# would pull the scheduler from under another worker's print.
pytestmark = pytest.mark.xdist_group("cups")

CUPS_PDF = Path("/usr/lib/cups/backend/cups-pdf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


def test_queue_names_are_checked_before_lp_sees_them():
    assert cups.valid_queue("Zebra_GK420d-counter.2")
    for name in ("", "two words", "a/b", "-d other", "q#1", "x" * 128):
        assert not cups.valid_queue(name), name


def _scheduler_running() -> bool:
    return subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.startswith(
        "scheduler is running"
    )


def _output_folder() -> Path:
    """Where cups-pdf writes a job of this user (its `Out` setting; ${HOME}: the user's)."""
    home = pwd.getpwuid(os.getuid()).pw_dir
    folder = "${HOME}/PDF"
    config = Path("/etc/cups/cups-pdf.conf")
    if config.exists():
        for line in config.read_text().splitlines():
            if line.startswith("Out "):
                folder = line.split(None, 1)[1].strip()
    return Path(folder.replace("${HOME}", home))


@pytest.fixture(scope="module")
def pdf_queue():
    """A cups-pdf queue on a running CUPS scheduler (started here if none runs)."""
    missing = [
        name for name in ("cupsd", "lpadmin", "lp", "lpstat") if shutil.which(name) is None
    ] + [str(path) for path in (CUPS_PDF, PPD) if not path.exists()]
    if missing:
        pytest.skip(
            f"CUPS is not installed here ({', '.join(missing)} missing): "
            "apt install cups printer-driver-cups-pdf (.ci/run does)"
        )
    if os.geteuid() != 0:
        pytest.skip("adding a CUPS queue needs root (the CI runs as root)")
    started = None
    if not _scheduler_running():
        # A daemon of its own: no terminal, session or pipe of the test worker's (execnet
        # talks over the worker's stdin and stdout), which a filter it runs could block on.
        started = subprocess.Popen(
            ["cupsd", "-f"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while not _scheduler_running():
            if time.monotonic() > deadline or started.poll() is not None:
                started.terminate()
                pytest.skip("cupsd would not start here")
            time.sleep(0.2)
    queue = f"mortar-test-{uuid.uuid4().hex[:8]}"
    # Set up as an administrator sets up a label printer: its page is the label stock in use.
    subprocess.run(
        ["lpadmin", "-p", queue, "-E", "-v", "cups-pdf:/", "-P", str(PPD)]
        + ["-o", "PageSize=Custom.4x2.5in"],
        check=True,
        capture_output=True,
    )
    try:
        yield queue
    finally:
        subprocess.run(["lpadmin", "-x", queue], capture_output=True)
        if started is not None:
            started.terminate()
            started.wait(timeout=10)


def _printed_file(title: str, job: str, timeout: float = 120) -> Path:
    """The PDF cups-pdf wrote for this job (its name ends in the job number), so a file left
    by an earlier run, or printed by another test worker, is never taken for it."""
    folder = _output_folder()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob(f"{title}*job_{job}.pdf")) if folder.exists() else []
        if found and found[0].stat().st_size and found[0].read_bytes().rstrip().endswith(b"%%EOF"):
            return found[0]
        time.sleep(0.3)
    raise AssertionError(f"no {title}*.pdf appeared in {folder}")


def test_a_terminal_prints_its_labels_to_its_cups_queue(client_as, pdf_queue, tmp_path):
    technician = client_as("technician")
    chosen = technician.post("/labels/setup/printer", data={"queue": pdf_queue})
    assert chosen.status_code == 303
    assert f"label_queue={pdf_queue}" in chosen.headers["Set-Cookie"]
    fill = advance_fill(make_fill(), "fill")
    rx = fill.prescription
    page = technician.get(f"/labels/fills/{fill.id}").get_data(as_text=True)
    assert f"prints to the printer queue <strong>{pdf_queue}</strong>" in page
    assert "data-print-frame" not in page  # the answer is a page, not a PDF for the frame

    answer = technician.post(f"/labels/fills/{fill.id}", data={"copies": "1"})
    assert answer.status_code == 303
    shown = technician.get(answer.headers["Location"]).get_data(as_text=True)
    sent = re.search(rf"Sent to the label printer {pdf_queue} \(job {pdf_queue}-(\d+)\)", shown)
    assert sent, shown
    assert LabelPrint.select().where(LabelPrint.fill == fill.id).count() == 1

    printed = _printed_file(f"label-rx{rx.rx_number}-{fill.fill_number}", sent.group(1))
    try:
        # cups-pdf distils the job again (its text is no longer readable), so the label is
        # recognised as a scanner would: its page, and its barcode read from the pixels.
        pdf = printed.read_bytes()
        assert page_sizes_in(pdf) == [(4, 2.5)]
        payload = label_barcode(str(rx.rx_number), fill.fill_number)
        assert printed_barcodes(pdf, tmp_path) == [Code128(payload).build()[0]]
    finally:
        printed.unlink()


def test_a_queue_that_refuses_the_label_logs_nothing(client_as, pdf_queue):
    technician = client_as("technician")
    technician.post("/labels/setup/printer", data={"queue": "no-such-queue"})
    fill = advance_fill(make_fill(), "fill")
    answer = technician.post(f"/labels/fills/{fill.id}", data={"copies": "1"})
    shown = technician.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Not printed: The printer queue no-such-queue refused the label" in shown
    assert "Nothing was logged." in shown
    assert LabelPrint.select().count() == 0


def test_a_bad_queue_name_is_refused_in_words_and_blank_goes_back_to_the_browser(client_as):
    technician = client_as("technician")
    refused = technician.post("/labels/setup/printer", data={"queue": "two words"})
    assert refused.status_code == 422
    assert "no spaces" in refused.get_data(as_text=True)
    technician.post("/labels/setup/printer", data={"queue": "counter"})
    back = technician.post("/labels/setup/printer", data={"queue": ""})
    assert (
        'label_queue=""' in back.headers["Set-Cookie"]
        or "label_queue=;" in back.headers["Set-Cookie"]
    )
    page = technician.get("/labels/setup").get_data(as_text=True)
    assert "open in the browser&#39;s print dialog" in page or "browser's print dialog" in page
