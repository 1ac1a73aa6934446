"""Server-side printing to a CUPS queue chosen per terminal: with `cups` and
`printer-driver-cups-pdf` (installed by .ci/run), a label printed at a terminal whose
printer is a cups-pdf queue appears as a PDF file, and it is the label."""

import os
import pwd
import re
import shutil
import subprocess
import tempfile
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

# One worker runs them all: one scheduler of their own serves the module.
pytestmark = pytest.mark.xdist_group("cups")

CUPS_PDF = Path("/usr/lib/cups/backend/cups-pdf")
PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


def test_queue_names_are_checked_before_lp_sees_them():
    assert cups.valid_queue("Zebra_GK420d-counter.2")
    for name in ("", "two words", "a/b", "-d other", "q#1", "x" * 128):
        assert not cups.valid_queue(name), name


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


def _scheduler_config(root: Path) -> tuple[Path, Path]:
    """cupsd.conf and cups-files.conf for a scheduler of the tests' own in ``root``: its own
    socket, spool, job history and debug log, so nothing another scheduler (or an earlier
    run) left behind can hold a job, and a job that does not print says why."""
    for folder in ("spool/tmp", "cache", "state"):
        (root / folder).mkdir(parents=True)
    daemon = root / "cupsd.conf"
    daemon.write_text(
        f"Listen {root}/cups.sock\nLogLevel debug\nWebInterface No\nBrowsing No\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    files = root / "cups-files.conf"
    files.write_text(
        f"ServerRoot {root}\nRequestRoot {root}/spool\nTempDir {root}/spool/tmp\n"
        f"CacheDir {root}/cache\nStateDir {root}/state\nErrorLog {root}/error_log\n"
        f"AccessLog {root}/access_log\nPageLog {root}/page_log\n"
        "User lp\nGroup lp\nSystemGroup root\n"
    )
    return daemon, files


def _scheduler_running() -> bool:
    return subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.startswith(
        "scheduler is running"
    )


def _log_tail(root: Path, job: str = "", lines: int = 60) -> str:
    """The scheduler's last ``lines`` log lines, those about ``job`` when one is named."""
    log = root / "error_log"
    said = log.read_text(errors="replace").splitlines() if log.exists() else []
    if job:
        said = [line for line in said if f"[Job {job}]" in line]
    return "\n".join(said[-lines:])


@pytest.fixture(scope="module")
def cups_root():
    """A CUPS scheduler of the tests' own, in a folder of its own; `lp`, as the portal runs
    it, finds it through CUPS_SERVER. Its folder is yielded (its log explains a stuck job)."""
    missing = [
        name for name in ("cupsd", "lpadmin", "lp", "lpstat") if shutil.which(name) is None
    ] + [str(path) for path in (CUPS_PDF, PPD) if not path.exists()]
    if missing:
        pytest.skip(
            f"CUPS is not installed here ({', '.join(missing)} missing): "
            "apt install cups printer-driver-cups-pdf (.ci/run does)"
        )
    if os.geteuid() != 0:
        pytest.skip("cups-pdf's backend runs only under a root scheduler (the CI runs as root)")
    # Not under pytest's 0700 temporary folder: the filters run as lp and read the spool.
    root = Path(tempfile.mkdtemp(prefix="mortar-cups-"))
    root.chmod(0o755)
    daemon, files = _scheduler_config(root)
    before = os.environ.get("CUPS_SERVER")
    os.environ["CUPS_SERVER"] = str(root / "cups.sock")
    # A daemon of its own: no terminal, session or pipe of the test worker's (execnet
    # talks over the worker's stdin and stdout), which a filter it runs could block on.
    started = subprocess.Popen(
        ["cupsd", "-f", "-c", str(daemon), "-s", str(files)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not _scheduler_running():
            if time.monotonic() > deadline or started.poll() is not None:
                pytest.fail(f"cupsd did not start; its log:\n{_log_tail(root)}")
            time.sleep(0.2)
        yield root
    finally:
        started.terminate()
        try:
            started.wait(timeout=10)
        except subprocess.TimeoutExpired:
            started.kill()
        if before is None:
            os.environ.pop("CUPS_SERVER", None)
        else:
            os.environ["CUPS_SERVER"] = before
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pdf_queue(cups_root):
    """A cups-pdf queue, set up as an administrator sets up a label printer: its page is the
    label stock in use."""
    queue = f"mortar-test-{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["lpadmin", "-p", queue, "-E", "-v", "cups-pdf:/", "-P", str(PPD)]
        + ["-o", "PageSize=Custom.4x2.5in"],
        check=True,
        capture_output=True,
    )
    return queue


def _printed_file(root: Path, title: str, job: str, timeout: float = 90) -> Path:
    """The PDF cups-pdf wrote for this job (its name ends in the job number), so a file left
    by an earlier run, or printed by another test worker, is never taken for it."""
    folder = _output_folder()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob(f"{title}*job_{job}.pdf")) if folder.exists() else []
        if found and found[0].stat().st_size and found[0].read_bytes().rstrip().endswith(b"%%EOF"):
            return found[0]
        time.sleep(0.3)
    jobs = subprocess.run(["lpstat", "-l", "-o"], capture_output=True, text=True)
    running = subprocess.run(["ps", "-ww", "-eo", "pid,etime,args"], capture_output=True, text=True)
    busy = [line for line in running.stdout.splitlines() if "cups" in line or "gs " in line]
    raise AssertionError(
        f"no {title}*job_{job}.pdf appeared in {folder} within {timeout:g} s\n"
        f"lpstat -l -o: {jobs.stdout}{jobs.stderr}\nprocesses:\n"
        + "\n".join(busy)
        + f"\nthe scheduler's log of the job:\n{_log_tail(root, job)}"
    )


def test_a_terminal_prints_its_labels_to_its_cups_queue(client_as, cups_root, pdf_queue, tmp_path):
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

    title = f"label-rx{rx.rx_number}-{fill.fill_number}"
    printed = _printed_file(cups_root, title, sent.group(1))
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
