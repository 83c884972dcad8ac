from corpus_tools.entities import ExtractEntities, flags, hashtags, mentions, urls
from corpus_tools.records import Link, Post


def test_hashtags_not_inside_words_or_numbers():
    assert hashtags("#RussiaAfrica #Sahel C# x#y #2025 #Victory80 #Think4Yourself") == [
        (0, "RussiaAfrica"), (14, "Sahel"), (34, "Victory80"), (45, "Think4Yourself")]


def test_mentions_and_urls():
    assert mentions("@MFARussia and @ab (too short) and a@b.cd") == [(0, "MFARussia")]
    assert urls("(see https://t.me/MFARussia/123), www.mid.ru.") == [
        (5, "https://t.me/MFARussia/123"), (34, "www.mid.ru")]


def test_flag_runs_are_read_in_pairs():
    assert flags("🇷🇺🇲🇱🇧🇫🇳🇪 On April 3 🇪🇺 🇺🇳") == [(0, "RU"), (2, "ML"), (4, "BF"), (6, "NE"), (20, "EU"), (23, "UN")]


def test_step_locates_label_links_and_keeps_reader_entities():
    post = Post(channel="c", text="Head #Tag\nRead in full\nmore\n📎Read in full", source_file="f",
                links=[Link(url=None, label="Read in full"), Link(url=None, label="Read in full")],
                mentions=[(0, "given")])
    (out,) = ExtractEntities()([post])
    assert [(link.offset, link.label) for link in out.links] == [(10, "Read in full"), (29, "Read in full")]
    assert out.hashtags == [(5, "Tag")]
    assert out.mentions == [(0, "given")]  # a reader's own entities are not replaced
