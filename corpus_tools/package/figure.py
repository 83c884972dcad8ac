"""The data card's figure: posts per day (per week or month over a longer span, as the card's
table) and the most frequent hashtags, as a PNG.

Drawn with matplotlib's Agg backend under its default style (a user's matplotlibrc changes
nothing) and saved without the 'Software' text chunk, so the same counts give the same bytes with
the same matplotlib and fonts.

Hashtags come in every script a channel writes in. matplotlib's own DejaVu Sans draws Latin,
Cyrillic, Greek and Arabic, and falls back, glyph by glyph, to the Noto fonts of the ``fonts`` extra
(``pip install 'corpus-tools[fonts]'``, which ``make build`` installs, so the committed figure is
drawn with the same fonts everywhere): Noto Sans, Noto Sans Arabic and Noto Sans CJK (Chinese,
Japanese, Korean); matplotlib shapes Arabic and lays it right to left. A character no font has
(an emoji, or CJK without the extra) is not drawn as an empty box: it is replaced by '?', and the
figure names the labels it could not draw in full.
"""

from __future__ import annotations

import importlib.util
import io
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

from .facts import calendar_bins

TITLE_DAYS = "Posts per {unit} (UTC)"
MAX_LABELS = 16  # period labels under the bars; more overlap
TITLE_TAGS = "Most frequent hashtags"
BASE_FONT = "DejaVu Sans"  # matplotlib's default, which it bundles
FONT_PACKAGES = ("fontpkg_noto_sans", "fontpkg_noto_sans_arabic", "cvttf_NotoSansCJK_Regular")  # the fonts extra
MISSING = "?"


def overview_png(*, days: list[tuple[date, int]], hashtags: list[tuple[str, int]], undated: int = 0) -> bytes:
    """Two panels - posts per day (or week, or month: ``calendar_bins``), top hashtags - as PNG bytes.

    Example: ``overview_png(days=[(date(2025, 4, 3), 7)], hashtags=[("RussiaNiger", 3)])[:4] == b"\\x89PNG"``
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    families, _ = _fonts()
    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        matplotlib.use("Agg")  # rcParamsDefault names the platform's default backend again
        matplotlib.rcParams["font.family"] = families
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


def _font_files() -> list[Path]:
    """The font files of the ``fonts`` extra that are installed (upright styles only)."""
    files = []
    for package in FONT_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.origin:
            found = Path(spec.origin).parent.rglob("*.[ot]tf")
            files += sorted(p for p in found if "Italic" not in p.name)
    return files


@cache
def _fonts() -> tuple[list[str], frozenset[int]]:
    """The font families to draw with, in fallback order, and every character they can draw."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    families, drawable = [BASE_FONT], set(FT2Font(font_manager.findfont(BASE_FONT)).get_charmap())
    for path in _font_files():
        font_manager.fontManager.addfont(str(path))
        families.append(font_manager.FontProperties(fname=str(path)).get_name())
        drawable |= set(FT2Font(str(path)).get_charmap())
    return families, frozenset(drawable)


def drawable_label(text: str) -> tuple[str, bool]:
    """``text`` with every character no font can draw replaced by '?', and whether any was.
    Format characters (joiners, direction marks, variation selectors) draw nothing and need no glyph.

    >>> drawable_label("#Россия")
    ('#Россия', False)
    """
    drawable = _fonts()[1]
    shown = "".join(c if ord(c) in drawable or _draws_nothing(c) else MISSING for c in text)
    return shown, shown != text


def _draws_nothing(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or 0xFE00 <= ord(char) <= 0xFE0F


def _hashtags(axes, hashtags: list[tuple[str, int]]) -> None:
    ordered = list(reversed(hashtags))  # barh draws bottom-up: most frequent on top
    axes.barh(range(len(ordered)), [count for _, count in ordered], color="#c0504d")
    labels = [drawable_label(f"#{tag}") for tag, _ in ordered]
    axes.set_yticks(range(len(ordered)), [shown for shown, _ in labels])
    partial = [shown for shown, replaced in reversed(labels) if replaced]
    axes.set_xlabel("occurrences" + (f"\nnot drawn in full: {', '.join(partial)}\n('{MISSING}': a character no font "
                                     "has; the card lists every hashtag)" if partial else ""))
    axes.set_title(TITLE_TAGS)
    axes.xaxis.get_major_locator().set_params(integer=True)
    if not hashtags:
        axes.text(0.5, 0.5, "no hashtags", ha="center", va="center", transform=axes.transAxes)
