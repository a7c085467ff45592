"""Outside channels: e-mail, Zalo, Messenger, SMS and web push (docs/channels.md).

A message that arrives on a channel is kept as evidence (``ChannelMessage``, the raw payload and
the time it was received) and belongs to a ``Conversation``: one citizen's exchange on one
channel. A conversation gathers what a report needs, then enters the report lifecycle through
the reports workflow's intake with its channel, like every other report. Answers go back on the
same conversation through the channel's adapter (``channels/outbound.py``).
"""
