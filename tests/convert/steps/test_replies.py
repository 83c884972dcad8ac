from corpus_tools.convert.steps.replies import ResolveReplies
from corpus_tools.core.records import Post


def test_reply_excerpt_resolves_to_the_latest_earlier_post_it_quotes():
    posts = [
        Post(channel="c", text="Since its inception,\nthis alliance has expanded. More.", source_file="f", post_id="c/1"),
        Post(channel="c", text="Since its inception,\nthis alliance has expanded. Again.", source_file="f", post_id="c/2"),
        Post(channel="c", text="A reply", source_file="f", post_id="c/3", reply_to_author="Chan",
             reply_to_excerpt="Since its inception, this alliance has expanded.…"),
        Post(channel="c", text="Another reply", source_file="f", post_id="c/4", reply_to_author="Chan",
             reply_to_excerpt="Nothing in this corpus starts like that…"),
        Post(channel="c", text="Short", source_file="f", post_id="c/5", reply_to_excerpt="Shor…"),
    ]
    step = ResolveReplies()
    out = list(step(posts))
    assert [p.reply_to_post_id for p in out] == [None, None, "c/2", None, None]
    assert step.stats["resolved"] == 1 and step.stats["unresolved"] == 2
