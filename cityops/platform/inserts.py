"""A row and the rows that point at it, written in one statement (PostgreSQL).

Intake writes a report and its first timeline event, and nothing else: through the ORM that is
``BEGIN``, two ``INSERT``s and ``COMMIT``, four round trips to the database. Here it is one
statement, a data-modifying ``WITH``, which PostgreSQL runs atomically on its own (in
autocommit) or as part of the caller's transaction. The values are those the ORM would write:
each field's ``pre_save`` and ``get_db_prep_save``, as Django's own insert compiler does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from cityops.platform.prepared import prepared_cursor


def inserts_together_supported() -> bool:
    """SQLite has no data-modifying ``WITH``: callers write row by row there."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Child:
    """A new row whose foreign key ``to`` points at the parent being inserted with it."""

    row: Model
    to: str


def insert_together(parent: Model, children: Sequence[Child] = ()) -> None:
    """INSERT ``parent`` and ``children`` in one statement; sets their primary keys and marks
    them saved. Only for new rows with an automatic primary key, no signals (none is sent)."""
    parent_fields = _fields(type(parent), None)
    params: list[Any] = _values(parent, parent_fields)
    for child in children:
        params += _values(child.row, _fields(type(child.row), child.to))
    sql = _statement(type(parent), tuple((type(c.row), c.to) for c in children))
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        ids = cursor.fetchone()
    for row, pk in zip([parent, *(c.row for c in children)], ids, strict=True):
        row.pk = pk
        row._state.adding = False
        row._state.db = connection.alias
    for child in children:
        setattr(child.row, child.to, parent)


def _fields(model: type[Model], skip: str | None) -> tuple[Field[Any, Any], ...]:
    """The columns an INSERT writes: every concrete field but the automatic key (and the
    foreign key to the parent, which comes from the parent's INSERT)."""
    skipped = {_field(model, skip).attname} if skip else set()
    return tuple(
        field
        for field in model._meta.concrete_fields
        if field is not model._meta.auto_field and field.attname not in skipped
    )


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field), f"{model.__name__}.{name} is not a column"
    return field


def _values(row: Model, fields: tuple[Field[Any, Any], ...]) -> list[Any]:
    return [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]


@cache
def _statement(parent: type[Model], children: tuple[tuple[type[Model], str], ...]) -> str:
    # Only table and column names from the models, quoted, are put into the text (S608).
    quote = connection.ops.quote_name

    def columns(fields: Sequence[Field[Any, Any]]) -> str:
        return ", ".join(quote(field.column) for field in fields)

    def marks(fields: Sequence[Field[Any, Any]]) -> str:
        return ", ".join(["%s"] * len(fields))

    parent_pk = quote(parent._meta.pk.column)
    fields = _fields(parent, None)
    parts = [
        f"p AS (INSERT INTO {quote(parent._meta.db_table)} ({columns(fields)}) "  # noqa: S608
        f"VALUES ({marks(fields)}) RETURNING {parent_pk})"
    ]
    for n, (model, to) in enumerate(children):
        fields = _fields(model, to)
        fk = quote(_field(model, to).column)
        parts.append(
            f"c{n} AS (INSERT INTO {quote(model._meta.db_table)} ({fk}, {columns(fields)}) "  # noqa: S608
            f"VALUES ((SELECT {parent_pk} FROM p), {marks(fields)}) "
            f"RETURNING {quote(model._meta.pk.column)})"
        )
    ids = ", ".join(
        [f"(SELECT {parent_pk} FROM p)"]  # noqa: S608
        + [
            f"(SELECT {quote(model._meta.pk.column)} FROM c{n})"  # noqa: S608
            for n, (model, _) in enumerate(children)
        ]
    )
    return f"WITH {', '.join(parts)} SELECT {ids}"


def insert_unless_present(row: Model, *, unique: Sequence[str]) -> bool:
    """INSERT ``row`` unless a row with the same values of ``unique`` (a unique constraint's
    fields) exists; True when inserted (its primary key set). One statement, no savepoint: a
    row already there does not abort the caller's transaction (``ON CONFLICT DO NOTHING``,
    PostgreSQL and SQLite). A concurrent insert of the same values waits for that one."""
    model = type(row)
    fields = _fields(model, None)
    quote = connection.ops.quote_name
    conflict = ", ".join(quote(_field(model, name).column) for name in unique)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - names from the model
        f"({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {quote(model._meta.pk.column)}"
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, _values(row, fields))
        inserted = cursor.fetchone()
    if inserted is None:
        return False
    row.pk = inserted[0]
    row._state.adding = False
    row._state.db = connection.alias
    return True


def related_known(row: Model, **related: Sequence[Model]) -> None:
    """Tell ``row`` which rows its reverse relations hold, as ``prefetch_related`` would: a
    row just written knows them (none yet, or those written with it), so reading them back
    through ``row.<name>.all()`` costs no query."""
    cache: dict[str, Any] = row.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in related.items():
        queryset = getattr(row, name).all()
        queryset._result_cache = list(rows)
        queryset._prefetch_done = True
        cache[name] = queryset
