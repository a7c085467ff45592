"""What the bench scripts share (``bench/*.py`` run as scripts, so this is ``lib``)."""
