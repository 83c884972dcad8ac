"""package.publishing: the publishing keys of dataset.toml are read and checked in one place; a bad
one is a usage error naming the key."""

import pytest

from corpus_tools.errors import UsageError
from corpus_tools.package.config import DatasetConfig
from tests.conftest import CONFIG, make_project

EXTRA = """
languages = ["en", "rus"]
publisher = "A Lab"
task_categories = ["text-classification"]
[[package.related_identifiers]]
identifier = "https://t.me/s/MFARussia"
relation = "isDerivedFrom"
[[package.contributors]]
title = "Ada Lovelace"
orcid = "0000-0002-1825-0097"
roles = ["creator"]
"""


def config(tmp_path, extra="", output=""):
    text = CONFIG.replace('keywords = ["test"]\n', 'keywords = ["test"]\n' + extra) + output
    return DatasetConfig.load(make_project(tmp_path / "p", text) / "dataset.toml")


def test_the_keys_are_read(tmp_path):
    publishing = config(tmp_path, EXTRA, '[output]\ncard = "data/README.md"\n').publishing
    assert publishing.languages == ["en", "ru"] and publishing.publisher == "A Lab"
    assert publishing.task_categories == ["text-classification"]
    assert publishing.related_identifiers == [{"identifier": "https://t.me/s/MFARussia", "relation": "isDerivedFrom"}]
    assert publishing.card == tmp_path / "p" / "data" / "README.md"
    assert config(tmp_path / "default").publishing.card == tmp_path / "default" / "p" / "README.md"


@pytest.mark.parametrize(("extra", "output", "message"), [
    ('languages = ["english"]\n', "", "languages: 'english' is no ISO 639"),
    ('languages = "en"\n', "", "package.languages = 'en': expected a list of strings"),
    ("publisher = 3\n", "", "package.publisher = 3: expected a non-empty string"),
    ('[[package.related_identifiers]]\nidentifier = "x"\nrelation = "isLikedBy"\n', "", "needs an identifier and a relation"),
    ('[[package.related_identifiers]]\nidentifier = "x"\nrelation = "cites"\nscheme = "url"\n', "", "unknown key 'scheme' in [package.related_identifiers[0]]"),
    ('[[package.contributors]]\ntitle = "A"\norcid = "0000-0002-1825-0098"\n', "", "check digit is wrong"),
    ("", '[output]\ncard = "card.txt"\n', "card must be the path of a Markdown file"),
])
def test_bad_keys_are_refused(tmp_path, extra, output, message):
    with pytest.raises(UsageError, match=message.replace("[", r"\[").replace("(", r"\(")):
        config(tmp_path, extra, output)
