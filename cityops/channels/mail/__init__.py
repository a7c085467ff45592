"""The e-mail channel (docs/channels.md, "E-mail"): a mailbox polled over IMAP.

``parse`` reads one raw message (text, photos, a place, the thread it answers, whether a
machine sent it); ``services`` turns it into a report, a citizen's note on a report, or a
conversation waiting for the place; ``outbound`` sends the acknowledgement and the status
changes with a Reply-To naming the thread; ``imap`` fetches the unseen messages.
"""
