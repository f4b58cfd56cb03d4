"""The sandbox audience: engagement a post earns from what the platform can see.

A JSON file (``sandbox/audience/default.json``; the format is documented key by key
in docs/sandbox.md) gives, per platform, a follower count that grows per day,
views per follower, multiplicative effects of post features (media type, caption
length, hashtags, a question or an emoji in the first line, image brightness and
colourfulness, weekday and hour in Asia/Seoul), engagement rates per metric,
log-normal noise and an accumulation curve. Every number is deterministic for a
(seed, platform, post id), and grows with the time since the post went live::

    model = AudienceModel.load(seed=0)
    model.metrics("instagram", post, at=now)  # {"views": 812, "reach": 590, ...}

``expected`` gives the noise-free final numbers for a set of features: what an
oracle that knows the audience would predict. ``watch`` gives how much of a video its
viewers watch (the optional ``watch`` section: a percentage for the video's length).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sandbox.media import MediaStats

DEFAULT_PATH = Path(__file__).with_name("audience") / "default.json"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
UNKNOWN = "unknown"  # a feature the platform could not see (an image that did not decode)

HASHTAG = re.compile(r"#[^\s#]+")
LINK = re.compile(r"https?://\S+")
TAG = re.compile(r"<[^>]+>")
EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f000-\U0001f2ff\U0001f900-\U0001f9ff\u2764\u2b50]"
)


class AudiencePost(Protocol):
    """What the model reads of a post (``sandbox.platform.SandboxPost`` has it all)."""

    @property
    def id(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def media_type(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def visible_at(self) -> dt.datetime | None: ...
    @property
    def visibility(self) -> str: ...
    @property
    def media(self) -> Sequence[MediaStats]: ...
    @property
    def image_count(self) -> int: ...


@dataclass(frozen=True)
class WatchSpec:
    """How long viewers watch a post's video (``platforms.P.watch``; every key optional,
    so a file without it still loads and gets these defaults)."""

    average_view_percentage: float = 70.0  # for a video of ``reference_duration_s``
    reference_duration_s: float = 30.0
    duration_elasticity: float = 0.0  # × (reference / duration) ** elasticity
    default_duration_s: float = 30.0  # a video whose length the platform could not read
    max_percentage: float = 200.0  # a Short loops: a viewer may watch it more than once
    sigma: float = 0.0  # log-normal spread per post
    effects: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # on the percentage


@dataclass(frozen=True)
class Watch:
    """One post's viewing: the average share of the video watched and its length."""

    percentage: float  # averageViewPercentage
    duration_s: float

    @property
    def seconds(self) -> float:
        """The average view duration."""
        return self.duration_s * self.percentage / 100


@dataclass(frozen=True)
class PlatformAudience:
    """One platform's section of the file, checked."""

    name: str
    followers_initial: float
    followers_growth_per_day: float
    account_sigma: float
    views_per_follower: float
    visibility: Mapping[str, float]
    metrics: Mapping[str, float]
    derived: Mapping[str, tuple[str, ...]]
    caps: Mapping[str, str]
    effects: Mapping[str, Mapping[str, float]]
    metric_effects: Mapping[str, Mapping[str, Mapping[str, float]]]
    buckets: Mapping[str, Mapping[str, tuple[float, float]]]
    sigma: float
    metric_sigma: float
    half_life_hours: float
    shape: float
    watch: WatchSpec = field(default_factory=WatchSpec)

    @property
    def metric_names(self) -> tuple[str, ...]:
        return ("views", *self.metrics, *self.derived)


class AudienceModel:
    """Engagement from an audience file; see the module docstring."""

    def __init__(self, data: Mapping[str, Any], *, seed: int = 0) -> None:
        self.seed = seed
        self.timezone = ZoneInfo(str(data.get("timezone", "Asia/Seoul")))
        self.epoch = dt.datetime.fromisoformat(str(data.get("epoch", "2025-01-01"))).replace(
            tzinfo=self.timezone
        )
        shared_buckets = _buckets(data.get("buckets", {}))
        platforms = data.get("platforms")
        if not isinstance(platforms, Mapping) or not platforms:
            raise ValueError("an audience file needs a 'platforms' object")
        self.platforms: dict[str, PlatformAudience] = {
            name: _platform(name, spec, shared_buckets) for name, spec in platforms.items()
        }

    @classmethod
    def load(cls, path: str | Path | None = None, *, seed: int = 0) -> AudienceModel:
        """The model in ``path`` (default: sandbox/audience/default.json)."""
        source = Path(path) if path is not None else DEFAULT_PATH
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"cannot read the audience file {source}: {error}") from error
        return cls(data, seed=seed)

    def spec(self, platform: str) -> PlatformAudience:
        try:
            return self.platforms[platform]
        except KeyError:
            raise ValueError(f"the audience file has no platform {platform!r}") from None

    # --- Features -------------------------------------------------------------------

    def features(self, platform: str, post: AudiencePost) -> dict[str, str]:
        """The post's feature values, bucketed as the platform's effects name them."""
        spec = self.spec(platform)
        text = TAG.sub(" ", post.text or "")
        first_line = (
            (post.title or text).strip().splitlines()[0] if (post.title or text).strip() else ""
        )
        images = [medium for medium in post.media if medium.brightness is not None]
        features = {
            "media_type": post.media_type,
            "caption_length": _bucket(spec, "caption_length", len(text.strip())),
            "title_length": _bucket(spec, "title_length", len(post.title or "")),
            "hashtag_count": _bucket(
                spec, "hashtag_count", len(HASHTAG.findall(f"{post.title} {text}"))
            ),
            "first_line_question": _flag("?" in first_line or "？" in first_line),
            "first_line_emoji": _flag(bool(EMOJI.search(first_line))),
            "has_link": _flag(bool(LINK.search(text))),
            "shorts_tag": _flag("#shorts" in f"{post.title} {text}".lower()),
            "image_count": _bucket(spec, "image_count", post.image_count),
            "brightness": UNKNOWN,
            "colourfulness": UNKNOWN,
        }
        if images:
            brightness = sum(medium.brightness or 0.0 for medium in images) / len(images)
            colour = sum(medium.colourfulness or 0.0 for medium in images) / len(images)
            features["brightness"] = _bucket(spec, "brightness", brightness)
            features["colourfulness"] = _bucket(spec, "colourfulness", colour)
        if post.visible_at is not None:
            local = post.visible_at.astimezone(self.timezone)
            features["weekday"] = WEEKDAYS[local.weekday()]
            features["hour"] = str(local.hour)
        return features

    # --- Numbers --------------------------------------------------------------------

    def followers(self, platform: str, user_id: str, at: dt.datetime) -> int:
        """The account's followers at ``at``: its own start (log-normal around the
        file's ``initial``) plus ``growth_per_day`` for every day since ``epoch``."""
        spec = self.spec(platform)
        start = spec.followers_initial * _lognormal(
            self._rng(platform, "account", user_id), spec.account_sigma
        )
        days = max(0.0, (at - self.epoch).total_seconds() / 86400)
        return int(start + spec.followers_growth_per_day * days)

    def accumulated(self, platform: str, hours: float) -> float:
        """The share of its final numbers a post has after ``hours`` live (0 … 1)."""
        spec = self.spec(platform)
        if hours <= 0:
            return 0.0
        return hours**spec.shape / (hours**spec.shape + spec.half_life_hours**spec.shape)

    def multiplier(
        self, platform: str, features: Mapping[str, str], metric: str | None = None
    ) -> float:
        """The product of the effects of ``features`` (on views, or on one metric)."""
        spec = self.spec(platform)
        effects = spec.effects if metric is None else spec.metric_effects.get(metric, {})
        product = 1.0
        for feature, values in effects.items():
            product *= values.get(features.get(feature, UNKNOWN), 1.0)
        return product

    def expected(
        self,
        platform: str,
        features: Mapping[str, str],
        *,
        followers: float,
        visibility: str = "public",
    ) -> dict[str, float]:
        """Noise-free final numbers (the noise has mean 1): an oracle's prediction."""
        spec = self.spec(platform)
        views = (
            followers
            * spec.views_per_follower
            * spec.visibility.get(visibility, 0.0)
            * self.multiplier(platform, features)
        )
        values = {"views": views}
        for metric, rate in spec.metrics.items():
            values[metric] = views * rate * self.multiplier(platform, features, metric)
        return self._finish(spec, values)

    def metrics(self, platform: str, post: AudiencePost, at: dt.datetime) -> dict[str, int]:
        """The post's numbers at ``at``; zero before it is visible, growing after."""
        spec = self.spec(platform)
        if post.visible_at is None or at <= post.visible_at:
            return dict.fromkeys(spec.metric_names, 0)
        features = self.features(platform, post)
        followers = self.followers(platform, post.user_id, post.visible_at)
        final = self.expected(platform, features, followers=followers, visibility=post.visibility)
        share = self.accumulated(platform, (at - post.visible_at).total_seconds() / 3600)
        views = final["views"] * _lognormal(self._rng(platform, post.id, "views"), spec.sigma)
        values = {"views": views * share}
        for metric in spec.metrics:
            noise = _lognormal(self._rng(platform, post.id, metric), spec.metric_sigma)
            values[metric] = (
                views * (final[metric] / final["views"] if final["views"] else 0.0) * noise * share
            )
        values = self._finish(spec, values)
        return {name: int(value) for name, value in values.items()}

    def watch(self, platform: str, post: AudiencePost, duration_s: float | None = None) -> Watch:
        """How much of the post's video its viewers watch on average (the same for every
        view): the file's percentage for the video's length (``duration_s``; unknown:
        the file's default length), times the effects of its features and its noise."""
        spec = self.spec(platform).watch
        duration = duration_s if duration_s and duration_s > 0 else spec.default_duration_s
        percentage = spec.average_view_percentage * (
            (spec.reference_duration_s / duration) ** spec.duration_elasticity
        )
        features = self.features(platform, post)
        for feature, values in spec.effects.items():
            percentage *= values.get(features.get(feature, UNKNOWN), 1.0)
        percentage *= _lognormal(self._rng(platform, post.id, "watch"), spec.sigma)
        return Watch(round(min(percentage, spec.max_percentage), 2), duration)

    def _finish(self, spec: PlatformAudience, values: dict[str, float]) -> dict[str, float]:
        for metric, ceiling in spec.caps.items():
            if metric in values and ceiling in values:
                values[metric] = min(values[metric], values[ceiling])
        for metric, parts in spec.derived.items():
            values[metric] = sum(math.floor(values.get(part, 0.0)) for part in parts)
        return values

    def _rng(self, platform: str, *parts: str) -> random.Random:
        # A string seed is hashed with SHA-512: the same numbers in every process.
        return random.Random(":".join((str(self.seed), platform, *parts)))


# --- Reading the file -------------------------------------------------------------------


def _platform(
    name: str, spec: Mapping[str, Any], shared: Mapping[str, Mapping[str, tuple[float, float]]]
) -> PlatformAudience:
    try:
        followers = spec["followers"]
        noise = spec.get("noise", {})
        accumulation = spec.get("accumulation", {})
        effects = {key: _effect(key, value) for key, value in spec.get("effects", {}).items()}
        metric_effects = {
            metric: {key: _effect(key, value) for key, value in per_metric.items()}
            for metric, per_metric in spec.get("metric_effects", {}).items()
        }
        return PlatformAudience(
            name=name,
            followers_initial=float(followers["initial"]),
            followers_growth_per_day=float(followers.get("growth_per_day", 0.0)),
            account_sigma=float(followers.get("account_sigma", 0.0)),
            views_per_follower=float(spec["views_per_follower"]),
            visibility={
                key: float(value) for key, value in spec.get("visibility", {"public": 1.0}).items()
            },
            metrics={key: float(value) for key, value in spec.get("metrics", {}).items()},
            derived={key: tuple(value) for key, value in spec.get("derived", {}).items()},
            caps=dict(spec.get("caps", {})),
            effects=effects,
            metric_effects=metric_effects,
            buckets={**shared, **_buckets(spec.get("buckets", {}))},
            sigma=float(noise.get("sigma", 0.0)),
            metric_sigma=float(noise.get("metric_sigma", 0.0)),
            half_life_hours=float(accumulation.get("half_life_hours", 12.0)),
            shape=float(accumulation.get("shape", 1.0)),
            watch=_watch(spec.get("watch") or {}),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"audience platform {name!r} is malformed: {error!r}") from error


def _watch(data: Mapping[str, Any]) -> WatchSpec:
    numbers = {
        name: float(data[name])
        for name in (
            "average_view_percentage",
            "reference_duration_s",
            "duration_elasticity",
            "default_duration_s",
            "max_percentage",
            "sigma",
        )
        if name in data
    }
    unknown = set(data) - set(numbers) - {"effects"}
    if unknown:
        raise ValueError(f"watch has unknown keys {sorted(unknown)}")
    watch = WatchSpec(
        **numbers,
        effects={key: _effect(key, value) for key, value in data.get("effects", {}).items()},
    )
    if min(watch.reference_duration_s, watch.default_duration_s, watch.max_percentage) <= 0:
        raise ValueError("watch durations and max_percentage must be positive")
    return watch


def _effect(feature: str, values: Any) -> dict[str, float]:
    # weekday: 7 numbers from Monday; hour: 24 numbers from midnight; else {value: factor}.
    if isinstance(values, list):
        names = WEEKDAYS if feature == "weekday" else [str(hour) for hour in range(24)]
        if len(values) != len(names):
            raise ValueError(f"effect {feature!r} needs {len(names)} numbers, got {len(values)}")
        return {name: float(value) for name, value in zip(names, values, strict=True)}
    return {str(key): float(value) for key, value in values.items()}


def _buckets(data: Mapping[str, Any]) -> dict[str, dict[str, tuple[float, float]]]:
    return {
        feature: {
            name: (float(low), math.inf if high is None else float(high))
            for name, (low, high) in ranges.items()
        }
        for feature, ranges in data.items()
    }


def _bucket(spec: PlatformAudience, feature: str, value: float) -> str:
    for name, (low, high) in spec.buckets.get(feature, {}).items():
        if low <= value < high:
            return name
    return UNKNOWN


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _lognormal(rng: random.Random, sigma: float) -> float:
    # mu = -sigma²/2 keeps the mean at 1, so ``expected`` is the average outcome.
    return math.exp(rng.gauss(-(sigma**2) / 2, sigma)) if sigma > 0 else 1.0
