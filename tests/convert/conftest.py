"""Small Telegram Desktop exports, written as the convert tests need them."""

import json


def desktop_export(channel_id, messages):
    """A Telegram Desktop export (result.json) of one channel, as text."""
    return json.dumps({"name": f"Channel {channel_id}", "type": "public_channel", "id": channel_id,
                       "messages": messages})


def desktop_message(number, text="post", **fields):
    """One message of such an export, dated by its number."""
    return {"id": number, "type": "message", "date_unixtime": str(1743674400 + number), "text": text, **fields}
