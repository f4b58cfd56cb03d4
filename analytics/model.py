"""The per-shop, per-channel model: a Bayesian linear model of the score (docs/analytics.md,
"The model", explains it in a page).

``score = Σ coefficient[dimension=value] + coefficient[band] + noise``. Each coefficient
has a normal prior; observations enter with a weight (a younger post weighs less), so
the posterior is normal too and is computed exactly from sufficient statistics
(``XᵀWX``, ``XᵀWy``). Cold start borrows strength in three levels, each the prior of
the next: the house prior (the default posting hours slightly ahead, everything else
even) → all other shops on the channel → other shops of the same industry family →
this shop. A level's posterior mean becomes the next level's prior mean at
``POOL_SD``, so a shop with no posts behaves like its industry, and its own posts
take over as they come in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from analytics.space import Space, band, default_hours, nearest_hour

PRIOR_SD = {"intercept": 1.0, "hour": 0.2, "band": 0.3}  # per dimension; others 0.3
DEFAULT_PRIOR_SD = 0.3
POOL_SD = 0.15  # how far a shop may differ from its pooled prior before its own data
HOUSE_BONUS = 0.08  # the default posting hours' head start, in log units
NOISE_PRIOR = (0.3, 4.0)  # residual variance guess and its weight in posts


@dataclass(frozen=True)
class Observation:
    values: dict[str, str]  # dimension -> value (analytics.space.describe)
    score: float
    weight: float


@dataclass
class Stats:
    """Sufficient statistics of weighted observations."""

    xtx: np.ndarray
    xty: np.ndarray
    yy: float = 0.0
    weight: float = 0.0
    count: int = 0

    @classmethod
    def empty(cls, size: int) -> Stats:
        return cls(np.zeros((size, size)), np.zeros(size))

    def __add__(self, other: Stats) -> Stats:
        return Stats(
            self.xtx + other.xtx,
            self.xty + other.xty,
            self.yy + other.yy,
            self.weight + other.weight,
            self.count + other.count,
        )

    def __sub__(self, other: Stats) -> Stats:
        return Stats(
            self.xtx - other.xtx,
            self.xty - other.xty,
            self.yy - other.yy,
            self.weight - other.weight,
            self.count - other.count,
        )


def row(space: Space, values: dict[str, str], index: dict[str, int]) -> np.ndarray:
    x = np.zeros(len(index))
    x[index["intercept"]] = 1.0
    for dim, value in values.items():
        key = f"{dim}={value}"
        if key in index:
            x[index[key]] = 1.0
    if "hour" in values:
        x[index[f"band={band(int(values['hour']))}"]] = 1.0
    return x


def stats_of(space: Space, observations: Iterable[Observation]) -> Stats:
    names = space.features()
    index = {name: i for i, name in enumerate(names)}
    stats = Stats.empty(len(names))
    for obs in observations:
        x = row(space, obs.values, index)
        stats.xtx += obs.weight * np.outer(x, x)
        stats.xty += obs.weight * obs.score * x
        stats.yy += obs.weight * obs.score**2
        stats.weight += obs.weight
        stats.count += 1
    return stats


@dataclass(frozen=True)
class Posterior:
    names: tuple[str, ...]
    mean: np.ndarray
    cov: np.ndarray
    noise: float  # residual variance used
    posts: int  # this level's own observations

    def effect(self, name: str) -> float:
        return float(self.mean[self.names.index(name)])

    def sample(self, rng: np.random.Generator, size: int = 1, *, scale: float = 1.0) -> np.ndarray:
        """Coefficient draws; ``scale`` < 1 narrows the spread (tempered sampling)."""
        return rng.multivariate_normal(self.mean, self.cov * scale, size=size, method="cholesky")

    def value(self, coefficients: np.ndarray, dim: str, value: str) -> np.ndarray | float:
        """The coefficients' contribution of one dimension value (bands included)."""
        i = self.names.index(f"{dim}={value}")
        total = coefficients[..., i]
        if dim == "hour":
            total = total + coefficients[..., self.names.index(f"band={band(int(value))}")]
        return total


def house_prior(space: Space) -> tuple[np.ndarray, np.ndarray]:
    """Prior mean and standard deviation before any shop has posted."""
    names = space.features()
    mean = np.zeros(len(names))
    sd = np.array(
        [PRIOR_SD.get(name.split("=")[0], DEFAULT_PRIOR_SD) for name in names], dtype=float
    )
    for hour in default_hours(space.channel):
        key = f"hour={nearest_hour(hour, space.hours)}"
        if key in names:
            mean[names.index(key)] = HOUSE_BONUS
    return mean, sd


def posterior(
    space: Space, stats: Stats, prior_mean: np.ndarray, prior_sd: np.ndarray | float
) -> Posterior:
    """The exact normal posterior given a normal prior and the residual variance
    estimated from the data (shrunk toward ``NOISE_PRIOR``)."""
    guess, strength = NOISE_PRIOR
    sd = np.broadcast_to(np.asarray(prior_sd, dtype=float), prior_mean.shape)
    centred = max(0.0, stats.yy - (stats.xty[0] ** 2 / stats.weight if stats.weight else 0.0))
    noise = (guess * strength + centred) / (strength + stats.weight)
    for _ in range(2):  # then the residual variance around the fitted effects
        precision = np.diag(1.0 / sd**2) + stats.xtx / noise
        cov = np.linalg.inv(precision)
        cov = (cov + cov.T) / 2
        mean = cov @ (prior_mean / sd**2 + stats.xty / noise)
        residual = max(0.0, stats.yy - 2 * mean @ stats.xty + mean @ stats.xtx @ mean)
        noise = max(0.02, (guess * strength + residual) / (strength + stats.weight))
    return Posterior(tuple(space.features()), mean, cov, noise, stats.count)


def pooled(space: Space, levels: Sequence[Stats]) -> Posterior:
    """The posterior after each level in turn (e.g. all other shops, the industry, the
    shop's other channels, the shop), each level's mean the next one's prior mean. A
    coefficient some earlier level had posts about starts the next level at ``POOL_SD``;
    one no level has seen keeps the house prior's spread."""
    mean, sd = house_prior(space)
    current = posterior(space, Stats.empty(len(mean)), mean, sd)
    informed = np.zeros(len(mean), dtype=bool)
    for stats in levels:
        if stats.count == 0 and stats is not levels[-1]:
            continue
        level_sd = np.where(informed, np.minimum(sd, POOL_SD), sd)
        current = posterior(space, stats, current.mean, level_sd)
        informed |= np.diag(stats.xtx) > 0
    return current
