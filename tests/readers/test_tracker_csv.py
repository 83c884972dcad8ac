"""telegram-tracker: its messages CSV, detected from the header and read through the preset."""

from __future__ import annotations

import csv
import io

from corpus_tools.convert.steps.ids import AssignPostIds
from corpus_tools.core.records import Post, Reject
from corpus_tools.readers import detect_format
from corpus_tools.readers.base import ReaderOptions
from corpus_tools.readers.tracker_csv import TrackerCsvReader

HEADER = ("signature,channel_id,channel_name,msg_id,message,cleaned_message,date,msg_link,msg_from_peer,msg_from_id,"
          "views,number_replies,number_forwards,is_forward,forward_msg_from_peer_type,forward_msg_from_peer_id,"
          "forward_msg_from_peer_name,forward_msg_date,forward_msg_date_string,forward_msg_link,is_reply,"
          "reply_to_msg_id,reply_msg_link,contains_media,media_type,has_url,url,domain,url_title,url_description,"
          "document_type,document_id,document_video_duration,document_filename,poll_id,poll_question,"
          "poll_total_voters,poll_results,contact_phone_number,contact_name,contact_userid,geo_type,lat,lng,venue_id,"
          "venue_type,venue_title,venue_address,venue_provider").split(",")


def tracker_csv(*rows: dict[str, str]) -> str:
    """A CSV as telegram-tracker writes it (pandas: floats for ids), one line per row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, lineterminator="\n")
    writer.writeheader()
    base = {"channel_id": "1746611944.0", "channel_name": "chan", "date": "2023-01-02 10:00:00",
            "msg_from_peer": "PeerChannel", "msg_from_id": "1746611944.0", "views": "1200.0", "is_forward": "0",
            "is_reply": "0", "contains_media": "0", "has_url": "0"}
    for row in rows:
        writer.writerow(base | row)
    return out.getvalue()


def read(path, **options):
    reader = TrackerCsvReader(ReaderOptions(**options))
    return list(AssignPostIds()(reader.read(path, path.name))), reader.stats[path.name]


def test_the_header_is_detected_never_as_a_text_dump(write):
    assert detect_format(write("msgs_dataset.csv", tracker_csv({"msg_id": "1.0", "message": "hi"}))) == \
        "telegram-tracker"


def test_ids_dates_peers_forwards_and_replies(write):
    path = write("msgs.csv", tracker_csv(
        {"msg_id": "805.0", "message": "first"},
        {"msg_id": "806.0", "message": "reply", "is_reply": "1", "reply_to_msg_id": "805.0", "is_forward": "1",
         "forward_msg_from_peer_type": "PeerUser", "forward_msg_from_peer_id": "42.0",
         "forward_msg_from_peer_name": "", "number_forwards": "3.0"}))
    (first, reply), _ = read(path)
    assert (first.post_id, first.channel, first.channel_id, first.message_id) == ("1746611944/805", "chan",
                                                                                  "1746611944", "805")
    assert first.published_at.isoformat() == "2023-01-02T10:00:00+00:00" and first.date_source == "platform"
    assert first.author_id == "channel1746611944" and first.views == 1200 and first.is_edited is None
    assert reply.reply_to_message_id == "805" and reply.reply_to_post_id == first.post_id
    assert (reply.forwarded_from, reply.forwarded_from_id, reply.forwards) == ("user42", "user42", 3)


def test_media_classes_previews_and_documents(write):
    path = write("msgs.csv", tracker_csv(
        {"msg_id": "1", "message": "see https://x.org", "contains_media": "1", "media_type": "MessageMediaWebPage",
         "has_url": "1", "url": "https://x.org"},
        {"msg_id": "2", "message": "", "contains_media": "1", "media_type": "MessageMediaPhoto"},
        {"msg_id": "3", "message": "", "contains_media": "1", "media_type": "MessageMediaDocument",
         "document_type": "video/mp4"},
        {"msg_id": "4", "message": "", "contains_media": "1", "media_type": "MessageMediaDocument",
         "document_type": "audio/ogg"},
        {"msg_id": "5", "message": "", "contains_media": "1", "media_type": "MessageMediaDocument",
         "document_type": "application/pdf"},
        {"msg_id": "6", "message": "", "contains_media": "1", "media_type": "MessageMediaGeo", "lat": "1", "lng": "2"}))
    posts, _ = read(path)
    assert [(p.has_media, p.media_type) for p in posts] == [
        (False, None), (True, "photo"), (True, "video"), (True, "voice"), (True, "document"), (True, "location")]


def test_text_falls_back_to_cleaned_message_and_is_counted(write):
    posts, stats = read(write("msgs.csv", tracker_csv({"msg_id": "1", "message": "", "cleaned_message": "only this"},
                                                      {"msg_id": "2", "message": "own", "cleaned_message": "own"})))
    assert [p.text for p in posts] == ["only this", "own"] and stats["text_from_cleaned_message"] == 1


def test_polls_are_kept(write):
    path = write("msgs.csv", tracker_csv({
        "msg_id": "7", "message": "", "contains_media": "1", "media_type": "MessageMediaPoll", "poll_id": "5",
        "poll_question": "{'_': 'TextWithEntities', 'text': 'Tea?', 'entities': []}", "poll_total_voters": "3.0",
        "poll_results": "[{'_': 'PollAnswerVoters', 'option': b'0', 'voters': 2, 'chosen': False}, "
                        "{'_': 'PollAnswerVoters', 'option': b'1', 'voters': 1, 'chosen': False}]"}))
    (post,), _ = read(path)
    assert post.media_type == "poll" and (post.poll.question, post.poll.total_voters) == ("Tea?", 3)
    assert [(o.text, o.votes) for o in post.poll.options] == [(None, 2), (None, 1)]


def test_a_broken_row_is_a_reject_and_the_rest_is_kept(write):
    content = tracker_csv({"msg_id": "1", "message": "good"}) + "broken,row\n" + \
        tracker_csv({"msg_id": "2", "message": "also good"}).split("\n", 1)[1]
    records, stats = read(write("msgs.csv", content))
    assert [r.text for r in records if isinstance(r, Post)] == ["good", "also good"]
    assert [r.reason for r in records if isinstance(r, Reject)] == ["row has 2 fields, the header 49"]
    assert stats["record_usage"] == {"post": 2, "service": 0, "rejected": 1, "excluded": 0}


def test_columns_can_still_be_overridden(write):
    posts, _ = read(write("msgs.csv", tracker_csv({"msg_id": "1", "message": "long", "cleaned_message": "short"})),
                    columns={"text": "cleaned_message"})
    assert posts[0].text == "short"
