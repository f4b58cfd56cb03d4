"""Charts drawn on the server as SVG (matplotlib, with the NanumGothic font that the
koreanize-matplotlib wheel ships, registered without importing it), each with a title, a one-sentence summary and its data as a
table, so a screen reader gets the same facts. The same chart serves the page, the
e-mail and the PDF.

matplotlib's object API only (no pyplot state), so charts can be drawn from several
threads of a worker.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from matplotlib import font_manager
from matplotlib.figure import Figure

from content.creative.fonts import font_path

# One colour per channel, distinct for the common colour-vision deficiencies.
COLOURS = {
    "instagram": "#CC3D8A",
    "threads": "#1D2430",
    "youtube_shorts": "#E1621B",
    "naver_blog": "#0F8A5F",
}
WIDTH_IN, HEIGHT_IN = 7.2, 3.2


@dataclass(frozen=True)
class Chart:
    title: str
    summary: str
    headers: list[str]
    rows: list[list[str]]
    svg: str  # an <svg> element, its text kept as text


@cache
def _family() -> str:
    """The Hangul font's family name, registered with matplotlib once per process."""
    path = font_path("regular")
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def _figure() -> Figure:
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN))
    figure.set_layout_engine("constrained")
    return figure


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def line_chart(
    *,
    title: str,
    summary: str,
    x_labels: list[str],
    series: dict[str, list[int]],
    labels: dict[str, str],
) -> Chart:
    """One line per series over the same x axis (e.g. each channel's views per week)."""
    figure = _figure()
    axes = figure.subplots()
    family = _family()
    for key, values in series.items():
        axes.plot(
            range(len(values)), values, marker="o", linewidth=2,
            color=COLOURS.get(key, "#2F4858"), label=labels.get(key, key),
        )  # fmt: skip
    axes.set_xticks(range(len(x_labels)), x_labels, fontsize=8, fontfamily=family)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_ylim(bottom=0)
    if len(series) > 1:
        axes.legend(frameon=False, prop={"family": family, "size": 8})
    headers = ["", *(labels.get(key, key) for key in series)]
    rows = [[x, *(f"{values[i]:,}" for values in series.values())] for i, x in enumerate(x_labels)]
    return Chart(title, summary, headers, rows, _svg(figure))
