"""A cursor for the few fixed statements every report runs (intake's insert, the API key's
lookup), prepared once per connection on PostgreSQL.

Django's PostgreSQL cursors bind parameters on the client: psycopg quotes each value into the
statement's text, and PostgreSQL parses and plans that text afresh every time. A server-binding
cursor sends the values apart from the text, and psycopg prepares a statement after its 5th run
on a connection (``prepare_threshold`` in settings), so PostgreSQL parses and plans it once per
connection. The ORM's own queries keep Django's cursor (server-side binding changes how some of
its expressions are typed). SQLite has nothing to gain: its own cursor is given.
"""

from __future__ import annotations

from django.db import connection
from django.db.backends.utils import CursorWrapper


def prepared_cursor() -> CursorWrapper:
    """A cursor wrapped as Django wraps its own (errors translated, queries logged for the
    query-count tests), binding its parameters on the server on PostgreSQL."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    # Defined by Django when psycopg 3 is installed (the stubs do not know it).
    from django.db.backends.postgresql.base import ServerBindingCursor  # type: ignore[attr-defined]

    connection.ensure_connection()
    cursor = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)
