"""``manage.py sandbox``: run the platform simulators so the product works offline.

Starts FakeGemini and FakeSemas on 127.0.0.1, prints the settings that point
Gagecast at them, and runs until Ctrl-C.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.gemini import FakeGemini
from sandbox.gemini_responder import respond
from sandbox.semas import FakeSemas
from sandbox.server import wait_for_stop_signal

SANDBOX_KEY = "sandbox"


class Command(BaseCommand):
    help = "Run local simulators of Gemini and SEMAS and print the settings that use them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--gemini-port", type=int, default=8701)
        parser.add_argument("--semas-port", type=int, default=8702)
        parser.add_argument("--seed", type=int, default=0, help="the SEMAS world to generate")

    def handle(self, *args: Any, **options: Any) -> None:
        gemini = FakeGemini(respond, port=options["gemini_port"])
        semas = FakeSemas(seed=options["seed"], service_key=SANDBOX_KEY, port=options["semas_port"])
        try:
            gemini.start()
            semas.start()
        except OSError as error:
            gemini.stop()
            raise CommandError(f"Could not start the simulators: {error}") from error
        try:
            self.stdout.write("# Gagecast sandbox: point the product at the simulators with")
            for name, value in (
                ("GEMINI_BASE_URL", gemini.url),
                ("GEMINI_API_KEY", SANDBOX_KEY),
                ("SEMAS_BASE_URL", semas.url),
                ("SEMAS_SERVICE_KEY", SANDBOX_KEY),
            ):
                self.stdout.write(f"{name}={value}")
            self.stdout.write("# Running until Ctrl-C.")
            wait_for_stop_signal()
            self.stdout.write("# Sandbox stopped.")
        finally:
            semas.stop()
            gemini.stop()
