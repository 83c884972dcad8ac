from corpus_tools.convert.steps.entities import ExtractEntities, flags, hashtags, mentions, urls
from corpus_tools.core.records import Mention, Post


def test_hashtags_not_inside_words_or_numbers():
    assert hashtags("#RussiaAfrica #Sahel C# x#y #2025 #Victory80 #Think4Yourself") == [
        (0, "RussiaAfrica"), (14, "Sahel"), (34, "Victory80"), (45, "Think4Yourself")]


def test_mentions_and_urls():
    assert [(m.offset, m.shown_as, m.username) for m in mentions("@MFARussia and @ab (too short) and a@b.cd")] == [
        (0, "@MFARussia", "MFARussia")]
    assert urls("(see https://t.me/MFARussia/123), www.mid.ru.") == [
        (5, "https://t.me/MFARussia/123"), (34, "www.mid.ru")]


def test_flag_runs_are_read_in_pairs():
    assert flags("🇷🇺🇲🇱🇧🇫🇳🇪 On April 3 🇪🇺 🇺🇳") == [(0, "RU"), (2, "ML"), (4, "BF"), (6, "NE"), (20, "EU"), (23, "UN")]


def test_step_finds_urls_and_lost_link_labels_when_the_reader_gave_none():
    post = Post(channel="c", text="Head #Tag\nRead in full\nsee https://mid.ru/x\n📎Read in full", source_file="f")
    (out,) = ExtractEntities()([post])
    assert [(link.offset, link.url, link.label) for link in out.links] == [
        (10, None, "Read in full"), (27, "https://mid.ru/x", None), (45, None, "Read in full")]
    assert out.hashtags == [(5, "Tag")]


def test_reader_entities_are_authoritative():
    post = Post(channel="c", text="see https://mid.ru/x #Tag", source_file="f", links=[], mentions=[Mention(0, "given")])
    (out,) = ExtractEntities()([post])
    assert out.links == []  # the reader found no link entity: no URL is guessed from the text
    assert out.mentions == [Mention(0, "given")]
    assert out.hashtags == [(21, "Tag")]  # hashtags were None: extracted from the text
