from corpus_tools.convert.steps.ids import AssignPostIds
from corpus_tools.convert.steps.normalize import NormalizeText, canonical_text
from corpus_tools.core.ids import text_post_id
from corpus_tools.core.records import Post


def post(text, channel="chan", **fields):
    return Post(channel=channel, text=text, source_file="f", **fields)


def test_canonical_text_is_nfc_with_lf_and_keeps_whitespace():
    assert canonical_text("\nCafe\u0301 \r\n  second\t\r\n") == "\nCaf\u00e9 \n  second\t\n"


def test_normalize_step_applies_nfc_to_free_text_fields():
    (out,) = NormalizeText()([post("e\u0301", forwarded_from="Caf\u0065\u0301")])
    assert out.text == "\u00e9" and out.forwarded_from == "Caf\u00e9"


def test_text_ids_are_stable_and_unique_in_source_order():
    step = AssignPostIds()
    ids = [p.post_id for p in step([post("same"), post("other"), post("same"), post("same", channel="b")])]
    assert ids == [text_post_id("chan", "same"), text_post_id("chan", "other"),
                   text_post_id("chan", "same") + "-2", text_post_id("b", "same")]
    again = [p.post_id for p in AssignPostIds()([post("same"), post("other"), post("same"), post("same", channel="b")])]
    assert again == ids


def test_native_ids_come_from_channel_and_message_id():
    (out,) = AssignPostIds()([post("x", message_id="42")])
    assert out.post_id == "chan/42"
