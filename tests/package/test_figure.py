"""package.figure: the data card's PNG, reproducible byte for byte and without metadata."""

import subprocess
import sys
from datetime import date

from corpus_tools.package import figure
from corpus_tools.package.figure import drawable_label, overview_png


def test_the_figure_is_a_reproducible_png_without_metadata():
    args = {"days": [(date(2025, 4, 3), 4), (date(2025, 4, 4), 15)], "hashtags": [("BRICS", 3), ("UN", 1)]}
    png = overview_png(**args)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png == overview_png(**args)
    assert b"tEXt" not in png and b"tIME" not in png  # no Software chunk, no timestamp
    assert overview_png(days=[], hashtags=[])[:4] == b"\x89PNG"  # an empty corpus still gets a figure
    code = "import sys, datetime; from corpus_tools.package.figure import overview_png; " \
           f"sys.stdout.buffer.write(overview_png(days={args['days']!r}, hashtags={args['hashtags']!r}))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           env={"MPLBACKEND": "pdf", "PATH": "/usr/bin"}).stdout
    assert other == png  # another process, another default backend: same bytes


SCRIPTS = [("Россия", 5), ("中国外交", 4), ("مصر_روسيا", 3), ("日本語", 2), ("한국어", 2)]


def test_every_script_is_drawn_with_the_fonts_extra():
    """Cyrillic, Chinese, Arabic, Japanese and Korean hashtags are drawn (the Noto fonts of the fonts
    extra, which the test extra installs), byte for byte the same in another process."""
    for tag, _ in SCRIPTS:
        assert drawable_label(f"#{tag}") == (f"#{tag}", False), tag
    days = [(date(2025, 4, 3), 1)]
    png = overview_png(days=days, hashtags=SCRIPTS)
    code = "import sys, datetime; from corpus_tools.package.figure import overview_png; " \
           f"sys.stdout.buffer.write(overview_png(days={days!r}, hashtags={SCRIPTS!r}))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout == png
    assert png != overview_png(days=days, hashtags=[("?" * len(t), n) for t, n in SCRIPTS])  # glyphs, not '?'


def test_a_label_no_font_can_draw_is_named_not_boxed(monkeypatch):
    assert drawable_label("#🇷🇺flag") == ("#??flag", True)  # regional indicators: no installed font has them
    assert drawable_label("#a\u200db\ufe0f") == ("#a\u200db\ufe0f", False)  # joiners and selectors draw nothing
    monkeypatch.setattr(figure, "_font_files", lambda: [])  # without the fonts extra
    figure._fonts.cache_clear()
    try:
        assert drawable_label("#中国") == ("#??", True) and drawable_label("#Россия") == ("#Россия", False)
        labels = []
        monkeypatch.setattr(figure, "_hashtags", _recording(figure._hashtags, labels))
        overview_png(days=[], hashtags=[("中国", 2), ("BRICS", 1)])
        assert "not drawn in full: #??" in labels[0]
    finally:
        figure._fonts.cache_clear()


def _recording(draw, labels):
    def wrapped(axes, hashtags):
        draw(axes, hashtags)
        labels.append(axes.get_xlabel())
    return wrapped
