"""validate.html: the HTML report is one self-contained file (no scripts, no requests), shows the
verdict, the counts and every check, and renders in headless Chromium, offline, as a page that is not
blank. CI installs Debian's chromium (.ci/run); CORPUS_TOOLS_REQUIRE_CHROMIUM makes a missing one fail."""

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from PIL import Image

from tests.conftest import ROOT, invoke

REPORT = ROOT / "reports" / "validation.html"
CHECKS = str(len(json.loads((ROOT / "reports" / "validation.json").read_text(encoding="utf-8"))["checks"]))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# As the machine's notes say: as root, without a sandbox, and with nothing that reaches for the network.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.urls = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v and not v.startswith(("data:", "#"))]


def test_the_committed_report_is_self_contained_and_names_every_check():
    text = REPORT.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert "script" not in page.tags and "link" not in page.tags and page.urls == []
    assert "default-src 'none'" in text and 'src="data:image/png;base64,' in text  # the figure, inline
    report = (ROOT / "reports" / "validation.json").read_text(encoding="utf-8")
    for check in re.findall(r'"id": "([^"]+)"', report):
        assert f"<code>{check}</code>" in text, check


@pytest.fixture
def chromium(tmp_path):
    if CHROMIUM is None:
        if os.environ.get("CORPUS_TOOLS_REQUIRE_CHROMIUM"):
            pytest.fail("chromium is required (CORPUS_TOOLS_REQUIRE_CHROMIUM) but not installed")
        pytest.skip("no chromium")

    def run(*args):
        profile = tmp_path / "profile"
        result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                                text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    return run


def test_chromium_renders_the_report_offline_with_its_counts(chromium, tmp_path):
    page = tmp_path / "validation.html"  # a copy far from the repository: nothing beside it to load
    shutil.copy(REPORT, page)
    dom = chromium("--dump-dom", page.as_uri())
    counts = re.search(r'<strong id="counts">(\d+) checks: (\d+) passed, 0 failed at error', dom)
    assert counts and counts.group(1) == counts.group(2) == CHECKS
    assert dom.count('<tr class="check">') == int(CHECKS) and "PASSED" in dom
    chromium("--window-size=1200,900", f"--screenshot={tmp_path / 'shot.png'}", page.as_uri())
    with Image.open(tmp_path / "shot.png") as shot:
        colours = shot.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, the verdict badge and the figure: not a blank page


def test_validate_writes_the_html_report(tmp_path):
    out = tmp_path / "report.html"
    result = invoke("validate", ROOT / "datapackage.json", "--html", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert f"{CHECKS} checks: {CHECKS} passed, 0 failed at error, 0 at warning, 0 skipped" in text
    assert "<h2>Thresholds and settings used</h2>" in text and "duplicate_line_fraction" in text
