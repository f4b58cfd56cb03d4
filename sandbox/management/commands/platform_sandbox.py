"""``manage.py platform_sandbox``: run the publishing-platform simulators.

Starts FakeInstagram, FakeThreads, FakeYouTube and FakeNaverBlog on 127.0.0.1,
prints the settings that point Gagecast's sandbox accounts at them, and runs until
SIGINT or SIGTERM. Faults can be switched on here (``--fault-rate``) or later from
any process over HTTP (``POST <url>/_sandbox/faults``; docs/sandbox.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.audience import AudienceModel
from sandbox.faults import Faults
from sandbox.meta import FakeInstagram, FakeThreads
from sandbox.naver import FakeNaverBlog
from sandbox.platform import PlatformSimulator
from sandbox.server import wait_for_stop_signal
from sandbox.youtube import FakeYouTube


def _fault_rate(value: str) -> tuple[str, float]:
    kind, separator, rate = value.partition("=")
    if not separator:
        raise ValueError(f"--fault-rate takes KIND=RATE (e.g. server_error=0.05), not {value!r}")
    return kind.strip(), float(rate)


class Command(BaseCommand):
    help = (
        "Run local simulators of Instagram, Threads, YouTube and Naver Blog and print "
        "the settings that point sandbox accounts at them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instagram-port", type=int, default=8711)
        parser.add_argument("--threads-port", type=int, default=8712)
        parser.add_argument("--youtube-port", type=int, default=8713)
        parser.add_argument("--naver-port", type=int, default=8714)
        parser.add_argument(
            "--seed", type=int, default=0, help="the audience's noise and the random faults"
        )
        parser.add_argument(
            "--audience", default=None, help="an audience model file (docs/sandbox.md)"
        )
        parser.add_argument(
            "--fault-rate",
            action="append",
            default=[],
            metavar="KIND=RATE",
            help="a random fault on every simulator, e.g. server_error=0.05 or "
            "lost_response@publish=0.01 (repeatable)",
        )
        parser.add_argument(
            "--timeout-s",
            type=float,
            default=30.0,
            help="how long a 'timeout' fault holds its answer",
        )
        parser.add_argument(
            "--retry-after-s",
            type=float,
            default=30.0,
            help="the wait a 'rate_limited' fault asks for",
        )
        parser.add_argument(
            "--video-processing-s",
            type=float,
            default=5.0,
            help="how long a video container stays IN_PROGRESS",
        )
        parser.add_argument(
            "--naver-api-ended",
            action="store_true",
            help="Naver answers every call like its closed API",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"]
        try:
            audience = AudienceModel.load(options["audience"], seed=seed)
            rates = dict(_fault_rate(value) for value in options["fault_rate"])
            Faults().rates = rates  # checks kinds and ranges before anything starts
        except ValueError as error:
            raise CommandError(str(error)) from error
        shared: dict[str, Any] = {"seed": seed, "audience": audience}
        simulators: list[tuple[str, PlatformSimulator]] = [
            (
                "SANDBOX_INSTAGRAM_URL",
                FakeInstagram(
                    port=options["instagram_port"],
                    video_processing_s=options["video_processing_s"],
                    **shared,
                ),
            ),
            (
                "SANDBOX_THREADS_URL",
                FakeThreads(
                    port=options["threads_port"],
                    video_processing_s=options["video_processing_s"],
                    **shared,
                ),
            ),
            ("SANDBOX_YOUTUBE_URL", FakeYouTube(port=options["youtube_port"], **shared)),
            (
                "SANDBOX_NAVER_URL",
                FakeNaverBlog(
                    port=options["naver_port"], api_ended=options["naver_api_ended"], **shared
                ),
            ),
        ]
        for offset, (_, simulator) in enumerate(simulators):
            # Each platform draws its own random faults, not the same sequence four times.
            simulator.faults.reseed(seed * 10 + offset)
            simulator.faults.rates = rates
            simulator.faults.timeout_s = options["timeout_s"]
            simulator.faults.retry_after_s = options["retry_after_s"]
        started: list[PlatformSimulator] = []
        try:
            for _, simulator in simulators:
                simulator.start()
                started.append(simulator)
        except OSError as error:
            for simulator in started:
                simulator.stop()
            raise CommandError(f"Could not start the platform simulators: {error}") from error
        try:
            self._announce(simulators, rates)
            wait_for_stop_signal()
            self.stdout.write("# Platform sandbox stopped.")
        finally:
            for simulator in started:
                simulator.stop()

    def _announce(
        self, simulators: list[tuple[str, PlatformSimulator]], rates: dict[str, float]
    ) -> None:
        self.stdout.write("# Gagecast platform sandbox: sandbox accounts use these settings")
        for name, simulator in simulators:
            self.stdout.write(f"{name}={simulator.url}")
        self.stdout.write(
            "# Faults: POST <url>/_sandbox/faults  posts: GET <url>/_sandbox/posts  "
            "tokens: POST <url>/_sandbox/tokens  (docs/sandbox.md)"
        )
        if rates:
            self.stdout.write(f"# Random faults on: {rates}")
        self.stdout.write("# Running until Ctrl-C.")
        self.stdout.flush()
