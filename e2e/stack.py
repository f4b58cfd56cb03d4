"""The live stack the browser suite runs against: the same processes as `make run`
(web, a real Celery worker and beat, the platform simulators) on a folder of their own
under var/e2e/, so a `make run` on the same checkout is left alone."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "e2e"
SANDBOX_PORTS = {"INSTAGRAM": 8721, "THREADS": 8722, "YOUTUBE": 8723, "NAVER": 8724}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Stack:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.state = OUT / "state"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "GAGECAST_VAR_DIR": str(self.state),
            "PUBLIC_BASE_URL": self.url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GEMINI_API_KEY": "",  # the offline writer: what the figure is measured with
            **{
                f"SANDBOX_{name}_URL": f"http://127.0.0.1:{port}"
                for name, port in SANDBOX_PORTS.items()
            },
        }
        if not os.environ.get("E2E_KEEP_DATABASE_URL"):
            self.env.pop("DATABASE_URL", None)  # SQLite in var/e2e/state: nothing shared

    def _run(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True)

    def _start(self, name: str, *args: str) -> None:
        log = (OUT / f"{name}.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def start(self) -> Stack:
        shutil.rmtree(self.state, ignore_errors=True)
        OUT.mkdir(parents=True, exist_ok=True)
        self._run("migrate", "--noinput", "-v", "0")
        # The demo café with eight weeks published to simulators of its own (as `make run`).
        self._run("seed_demo")
        self._run("seed_demo_history")
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "config"]
        self._start(
            "sandbox",
            python,
            "manage.py",
            "platform_sandbox",
            *(f"--{name.lower()}-port={port}" for name, port in SANDBOX_PORTS.items()),
        )
        self._start(
            "worker",
            *celery,
            "worker",
            "--loglevel=INFO",
            "--pool=prefork",
            "--concurrency=4",
            "--queues=default,generation,render,publish,analytics",
            "--hostname=e2e@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        )
        self._start(
            "beat",
            *celery,
            "beat",
            "--loglevel=INFO",
            "--scheduler=django_celery_beat.schedulers:DatabaseScheduler",
            "--pidfile=",
        )
        self._start(
            "web",
            python,
            "manage.py",
            "runserver",
            "--noreload",
            "--insecure",
            f"127.0.0.1:{self.port}",
        )
        self._wait(f"{self.url}/healthz")
        for port in SANDBOX_PORTS.values():
            self._wait_port(port)
        return self

    def _wait(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{url} did not answer; see {OUT}/web.log")

    def _wait_port(self, port: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the simulator on port {port} did not start; see {OUT}/sandbox.log")

    def stop(self) -> None:
        # The leaders first (a Celery worker shuts its pool down itself), then whatever
        # of their groups is left.
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
