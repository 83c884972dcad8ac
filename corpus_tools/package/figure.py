"""The data card's figure: posts per day (per week or month over a longer span, as the card's
table) and the most frequent hashtags, as a PNG.

Drawn with matplotlib's Agg backend under its default style (a user's matplotlibrc changes
nothing) and saved without the 'Software' text chunk, so the same counts give the same bytes with
the same matplotlib (which bundles its own FreeType and DejaVu fonts).
"""

from __future__ import annotations

import io
from datetime import date

from .facts import calendar_bins

TITLE_DAYS = "Posts per {unit} (UTC)"
MAX_LABELS = 16  # period labels under the bars; more overlap
TITLE_TAGS = "Most frequent hashtags"


def overview_png(*, days: list[tuple[date, int]], hashtags: list[tuple[str, int]], undated: int = 0) -> bytes:
    """Two panels - posts per day (or week, or month: ``calendar_bins``), top hashtags - as PNG bytes.

    Example: ``overview_png(days=[(date(2025, 4, 3), 7)], hashtags=[("RussiaNiger", 3)])[:4] == b"\\x89PNG"``
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        matplotlib.use("Agg")  # rcParamsDefault names the platform's default backend again
        figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), dpi=100, width_ratios=(1, 1.3))
        try:
            _days(left, days, undated)
            _hashtags(right, hashtags)
            figure.tight_layout()
            out = io.BytesIO()
            figure.savefig(out, format="png", metadata={"Software": None})
        finally:
            plt.close(figure)
    return out.getvalue()


def _days(axes, days: list[tuple[date, int]], undated: int) -> None:
    unit, bins = calendar_bins(days)
    axes.bar(range(len(bins)), [count for _, count in bins], color="#3b6ea5")
    step = max(1, -(-len(bins) // MAX_LABELS))
    ticks = range(0, len(bins), step)
    axes.set_xticks(ticks, [bins[i][0] for i in ticks], rotation=45 if len(ticks) > 7 else 0,
                    ha="right" if len(ticks) > 7 else "center")
    axes.set_ylabel("posts")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(TITLE_DAYS.format(unit=unit) + (f"; {undated} undated" if undated else ""))
    if not days:
        axes.text(0.5, 0.5, "no dated posts", ha="center", va="center", transform=axes.transAxes)


def _hashtags(axes, hashtags: list[tuple[str, int]]) -> None:
    ordered = list(reversed(hashtags))  # barh draws bottom-up: most frequent on top
    axes.barh(range(len(ordered)), [count for _, count in ordered], color="#c0504d")
    axes.set_yticks(range(len(ordered)), [f"#{tag}" for tag, _ in ordered])
    axes.set_xlabel("occurrences")
    axes.set_title(TITLE_TAGS)
    axes.xaxis.get_major_locator().set_params(integer=True)
    if not hashtags:
        axes.text(0.5, 0.5, "no hashtags", ha="center", va="center", transform=axes.transAxes)
