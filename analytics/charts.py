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
from matplotlib.patches import Rectangle

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
    png: bytes | None = None  # the same drawing as an image, for e-mail and PDF (png=True)


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


def _png(figure: Figure, png: bool) -> bytes | None:
    """The figure as a PNG (mail clients drop inline SVG; the PDF takes images)."""
    if not png:
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=160, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _chart(
    figure: Figure, title: str, summary: str, headers: list[str], rows: list[list[str]], png: bool
) -> Chart:
    return Chart(title, summary, headers, rows, _svg(figure), _png(figure, png))


def line_chart(
    *,
    title: str,
    summary: str,
    x_labels: list[str],
    series: dict[str, list[int]],
    labels: dict[str, str],
    png: bool = False,
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
    return _chart(figure, title, summary, headers, rows, png)


def bar_chart(
    *,
    title: str,
    summary: str,
    groups: list[str],
    series: dict[str, list[int]],
    png: bool = False,
) -> Chart:
    """Bars side by side per group (e.g. each channel's 본 사람, last week against the
    week before); ``series`` maps a legend label to one value per group."""
    figure = _figure()
    axes = figure.subplots()
    family = _family()
    width = 0.8 / max(len(series), 1)
    shades = ("#B9C4CF", "#2F4858", "#CC3D8A", "#E1621B")
    for index, (name, values) in enumerate(series.items()):
        positions = [g + (index - (len(series) - 1) / 2) * width for g in range(len(groups))]
        bars = axes.bar(positions, values, width, label=name, color=shades[index % len(shades)])
        axes.bar_label(bars, labels=[f"{v:,}" for v in values], fontsize=7, fontfamily=family)
    axes.set_xticks(range(len(groups)), groups, fontsize=8, fontfamily=family)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(frameon=False, prop={"family": family, "size": 8})
    headers = ["", *series]
    rows = [
        [group, *(f"{values[i]:,}" for values in series.values())] for i, group in enumerate(groups)
    ]
    return _chart(figure, title, summary, headers, rows, png)


def heatmap(
    *,
    title: str,
    summary: str,
    rows: list[str],
    columns: list[str],
    cells: dict[tuple[int, int], tuple[int, int]],
    sure_after: int,
    png: bool = False,
) -> Chart:
    """A grid of means (e.g. weekday x hour band) with each cell's count; a cell resting
    on fewer than ``sure_after`` posts is drawn faint and marked "?" (a hint, not a
    finding); an empty cell is left blank."""
    figure = _figure()
    axes = figure.subplots()
    family = _family()
    top = max((mean for mean, _count in cells.values()), default=0) or 1
    for (row, column), (mean, count) in cells.items():
        sure = count >= sure_after
        shade = 0.15 + 0.85 * mean / top if sure else 0.12
        axes.add_patch(
            Rectangle((column, row), 1, 1, color=COLOURS["instagram"], alpha=shade, linewidth=0)
        )
        mark = f"{mean:,}" if sure else f"{mean:,}?"
        axes.text(
            column + 0.5, row + 0.5, f"{mark}\n({count})", ha="center", va="center",
            fontsize=7, fontfamily=family,
        )  # fmt: skip
    axes.set_xlim(0, len(columns))
    axes.set_ylim(len(rows), 0)
    axes.set_xticks([i + 0.5 for i in range(len(columns))], columns, fontsize=8, fontfamily=family)
    axes.set_yticks([i + 0.5 for i in range(len(rows))], rows, fontsize=8, fontfamily=family)
    axes.tick_params(length=0)
    for side in axes.spines.values():
        side.set_visible(False)
    table = [
        [name, *(_cell(cells.get((r, c))) for c in range(len(columns)))]
        for r, name in enumerate(rows)
    ]
    return _chart(figure, title, summary, ["", *columns], table, png)


def _cell(value: tuple[int, int] | None) -> str:
    return f"{value[0]:,} ({value[1]})" if value else "—"
