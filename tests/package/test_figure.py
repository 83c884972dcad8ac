"""package.figure: the data card's PNG, reproducible byte for byte and without metadata."""

import subprocess
import sys
from datetime import date

from corpus_tools.package.figure import overview_png


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
