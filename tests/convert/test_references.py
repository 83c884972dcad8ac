"""convert.references: a reply keeps its link to a post only when that post is in the dataset."""

import pandas as pd

from corpus_tools.convert.run import convert
from tests.convert.conftest import desktop_export, desktop_message


def test_replies_to_posts_outside_the_dataset_are_unlinked(tmp_path, write):
    messages = [desktop_message(10, reply_to_message_id=9), desktop_message(11, reply_to_message_id=10)]
    path = write("result.json", desktop_export(5, messages))
    result = convert([path], tmp_path / "out")
    posts = pd.read_parquet(tmp_path / "out" / "posts.parquet")
    assert posts.reply_to_message_id.tolist() == ["9", "10"]
    assert posts.reply_to_post_id.tolist()[1] == "5/10" and pd.isna(posts.reply_to_post_id.tolist()[0])
    assert result.steps["drop_dangling_replies"] == {"unlinked": 1}
