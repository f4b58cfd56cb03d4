"""``manage.py platform_sandbox`` as ``make run`` uses it: a real process that serves
all four simulators until SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (
    "SANDBOX_INSTAGRAM_URL",
    "SANDBOX_THREADS_URL",
    "SANDBOX_YOUTUBE_URL",
    "SANDBOX_NAVER_URL",
)


def _read_settings(process: subprocess.Popen[str], within_s: float = 30.0) -> dict[str, str]:
    """The NAME=URL lines the command prints, read until it says it is running."""
    found: dict[str, str] = {}
    done = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            match = re.fullmatch(r"(SANDBOX_\w+_URL)=(\S+)", line.strip())
            if match:
                found[match[1]] = match[2]
            if line.startswith("# Running"):
                break
        done.set()

    threading.Thread(target=read, daemon=True).start()
    done.wait(within_s)
    return found


def test_the_command_serves_all_four_simulators_until_sigterm(tmp_path: Path):
    command = [
        sys.executable, "manage.py", "platform_sandbox",
        "--instagram-port", "0", "--threads-port", "0", "--youtube-port", "0", "--naver-port", "0",
        "--seed", "3", "--fault-rate", "server_error=0.25", "--timeout-s", "0.5",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        urls = _read_settings(process)
        answers = {
            name: requests.get(f"{url}/_sandbox/faults", timeout=5).json()
            for name, url in urls.items()
        }
        token = requests.post(
            f"{urls['SANDBOX_INSTAGRAM_URL']}/_sandbox/tokens",
            json={"username": "run_shop"},
            timeout=5,
        ).json()
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)

    assert set(urls) == set(SETTINGS)
    assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+", url) for url in urls.values())
    assert all(answer["rates"] == {"server_error": 0.25} for answer in answers.values())
    assert all(answer["timeout_s"] == 0.5 for answer in answers.values())
    assert (
        len({answer["seed"] for answer in answers.values()}) == 4
    )  # each platform draws its own faults
    assert token["username"] == "run_shop"
    assert process.returncode == 0
    assert "Platform sandbox stopped" in output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--fault-rate", "gremlins=0.1"], "unknown fault kind"),
        (["--fault-rate", "server_error"], "KIND=RATE"),
        (["--audience", "/nonexistent/audience.json"], "cannot read the audience file"),
    ],
)
def test_bad_options_stop_the_command_before_anything_starts(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("platform_sandbox", *arguments)


def test_a_busy_port_is_a_plain_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match="Could not start"):
            call_command(
                "platform_sandbox",
                "--instagram-port", "0", "--threads-port", str(port), "--youtube-port", "0", "--naver-port", "0",
            )  # fmt: skip
