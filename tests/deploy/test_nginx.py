"""deploy/mortar.nginx.conf, run by Debian's nginx on loopback with a self-signed certificate
in front of the portal (waitress, PORTAL_TRUST_PROXY=1): the session cookie is Secure, the
rate limit counts each client's own address, a large scan reaches the portal, and nginx
serves static files with caching headers."""

import functools
import http.client
import http.cookiejar
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "mortar.nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not os.access(NGINX, os.X_OK) or not shutil.which("openssl"),
    reason="nginx or openssl is not installed (apt install nginx openssl; .ci/run does)",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"{what} stopped: {process.stdout.read() if process.stdout else ''}"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{what} did not start listening on {port}")


def _site(folder: Path, ports: dict) -> str:
    """The site file as shipped, with only its machine-specific values replaced."""
    text = SITE.read_text()
    swaps = {
        "listen 80;": f"listen 127.0.0.1:{ports['http']};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports['https']} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/ssl/mortar/mortar.crt": str(folder / "mortar.crt"),
        "/etc/ssl/mortar/mortar.key": str(folder / "mortar.key"),
        "alias /srv/mortar/static/;": f"alias {ROOT / 'static'}/;",
        "proxy_pass http://127.0.0.1:5000;": f"proxy_pass http://127.0.0.1:{ports['app']};",
    }
    for shipped, here in swaps.items():
        assert shipped in text, f"deploy/mortar.nginx.conf no longer has {shipped!r}"
        text = text.replace(shipped, here)
    return text


def _nginx_conf(folder: Path, site: Path) -> str:
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the temp folder
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    return f"""
{user}
worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder / "access.log"};
    {temp} uwsgi_temp_path {folder / "uwsgi"}; scgi_temp_path {folder / "scgi"};
    include {site};
}}
"""


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """The demo pharmacy served by waitress behind nginx; yields the HTTPS base URL."""
    folder = tmp_path_factory.mktemp("deploy")
    ports = {"http": _free_port(), "https": _free_port(), "app": _free_port()}
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + [
            "-subj",
            "/CN=localhost",
            "-keyout",
            folder / "mortar.key",
            "-out",
            folder / "mortar.crt",
        ],
        check=True,
        capture_output=True,
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")},
        "PORTAL_INSTANCE_PATH": str(folder / "instance"),
        "PORTAL_TRUST_PROXY": "1",
        "PORTAL_LOGIN_RATE_LIMIT": "3 per minute",
        "PORTAL_ARGON2_TIME_COST": "1",
        "PORTAL_ARGON2_MEMORY_COST": "1024",
        "PORTAL_LABEL_WORKERS": "1",
    }
    flask = [sys.executable, "-m", "flask", "--app", "portal"]
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    app = subprocess.Popen(
        flask + ["serve", "--port", str(ports["app"])],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    (folder / "site.conf").write_text(_site(folder, ports))
    (folder / "nginx.conf").write_text(_nginx_conf(folder, folder / "site.conf"))
    checked = subprocess.run(
        [NGINX, "-t", "-c", folder / "nginx.conf", "-p", folder], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen(
        [NGINX, "-c", folder / "nginx.conf", "-p", folder],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(ports["app"], app, "the portal")
        _wait_for(ports["https"], nginx, "nginx")
        yield {"base": f"https://localhost:{ports['https']}", "folder": folder, **ports}
    finally:
        nginx.terminate()
        app.terminate()
        nginx.wait(timeout=10)
        app.wait(timeout=10)


class FromAddress(urllib.request.HTTPSHandler):
    """HTTPS from a given loopback address (127.0.0.2, ...): a different client to nginx."""

    def __init__(self, address: str):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
        super().__init__(context=context)
        self.address = address

    def https_open(self, req):
        connection = functools.partial(
            http.client.HTTPSConnection, source_address=(self.address, 0)
        )
        return self.do_open(connection, req, context=self._context)


class Browser:
    def __init__(self, base: str, address: str = "127.0.0.1"):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            FromAddress(address), urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def open(self, path, data=None, headers=None):
        # A browser sends the page as Referer; Flask-WTF requires it over HTTPS.
        headers = {"Referer": self.base + path, **(headers or {})}
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        return response.status, response.read().decode(errors="replace"), response.headers

    def csrf(self, path: str) -> str:
        _, body, _ = self.open(path)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)

    def post(self, path, fields, headers=None):
        fields = {"csrf_token": self.csrf(path), **fields}
        return self.open(path, urllib.parse.urlencode(fields).encode(), headers)

    def sign_in(self, username: str, password: str = "wrong-password", headers=None):  # noqa: S107
        return self.post("/login", {"username": username, "password": password}, headers)


def test_the_session_cookie_is_secure_behind_the_proxy(proxied):
    status, _, headers = Browser(proxied["base"]).open("/login")
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("session=") and "Secure" in cookie and "HttpOnly" in cookie
    assert headers["Strict-Transport-Security"]  # the portal saw HTTPS through the proxy
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])  # nginx's $request_id


def test_plain_http_is_sent_to_https(proxied):
    connection = http.client.HTTPConnection("127.0.0.1", proxied["http"], timeout=10)
    connection.request("GET", "/login", headers={"Host": "localhost"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == "https://localhost/login"


def test_the_rate_limit_counts_each_client_address(proxied):
    refused = Browser(proxied["base"], "127.0.0.2")
    statuses = [refused.sign_in("tina")[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Another computer is not held to the first one's attempts, even when it claims to be it:
    # nginx replaces X-Forwarded-For with the address it sees.
    other = Browser(proxied["base"], "127.0.0.3")
    status, body, _ = other.sign_in("tina", headers={"X-Forwarded-For": "127.0.0.2"})
    assert status == 200 and "Username or password is not right" in body
    status, body, _ = other.sign_in("tina", "mortar-demo-2024")
    assert status == 200 and "Sign out" in body


def test_a_large_scan_reaches_the_portal(proxied):
    tina = Browser(proxied["base"], "127.0.0.4")
    status, body, _ = tina.sign_in("tina", "mortar-demo-2024")
    assert status == 200 and "Sign out" in body
    scan = b"\xff\xd8\xff\xe0" + os.urandom(8 * 1024 * 1024)  # an 8 MB "JPEG"
    boundary = uuid.uuid4().hex
    token = tina.csrf("/prescriptions/new")
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="save"\r\n\r\nSave for later\r\n'
            f"--{boundary}\r\nContent-Disposition: form-data; "
            'name="image"; filename="scan.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        + scan
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, page, headers = tina.open(
        "/prescriptions/new", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert status == 200, page[:500]  # the form again, asking for the patient: not nginx's 413
    assert "X-Request-ID" in headers and "larger than" not in page
    kept = [p.stat().st_size for p in (proxied["folder"] / "instance").rglob("*") if p.is_file()]
    assert len(scan) in kept, "the scan was not stored"


def test_nginx_serves_static_files_with_caching_headers(proxied):
    status, body, headers = Browser(proxied["base"]).open("/static/css/portal.css")
    assert status == 200 and body == (ROOT / "static" / "css" / "portal.css").read_text()
    assert headers.get_all("Cache-Control") == ["public, max-age=86400"]
    assert "X-Request-ID" not in headers  # nginx answered; the portal never saw it
