"""A small SFTP server on a loopback port (paramiko's own server classes) for the PMP
upload tests: one user, one folder, files written as sent."""

from __future__ import annotations

import os
import secrets
import socket
import threading
from pathlib import Path

import paramiko


class _Server(paramiko.ServerInterface):
    def __init__(self, username: str, password: str):
        self.username, self.password = username, password

    def get_allowed_auths(self, username):
        return "password"

    def check_auth_password(self, username, password):
        if (username, password) == (self.username, self.password):
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    def stat(self):
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))

    def chattr(self, attr):
        return paramiko.SFTP_OK


def _sftp_for(root: Path):
    class _Files(paramiko.SFTPServerInterface):
        def _real(self, path):
            return str(root) + self.canonicalize(path)

        def open(self, path, flags, attr):
            descriptor = os.open(self._real(path), flags, 0o600)
            handle = _Handle(flags)
            handle.readfile = handle.writefile = os.fdopen(
                descriptor, "wb" if flags & (os.O_WRONLY | os.O_RDWR) else "rb"
            )
            return handle

        def stat(self, path):
            return paramiko.SFTPAttributes.from_stat(os.stat(self._real(path)))

        lstat = stat

    return _Files


class StubServer:
    """Serve one connection at a time on 127.0.0.1 until stopped."""

    def __init__(self, root: Path, username: str = "elm-street"):
        self.root, self.username, self.password = root, username, secrets.token_urlsafe(12)
        self.key = paramiko.RSAKey.generate(2048)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(2)
        self.port = self.listener.getsockname()[1]
        self.transports: list[paramiko.Transport] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            transport = paramiko.Transport(connection)
            transport.add_server_key(self.key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _sftp_for(self.root))
            transport.start_server(server=_Server(self.username, self.password))
            self.transports.append(transport)

    def known_hosts_line(self) -> tuple[str, paramiko.PKey]:
        return f"[127.0.0.1]:{self.port}", self.key

    def stop(self):
        self.listener.close()
        for transport in self.transports:
            transport.close()
