"""The audit trail is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE on
report events (docs/security.md). Nothing on SQLite, which has no such guard here.

Two exceptions, both legitimate paths:
- an UPDATE that only sets ``actor_id`` to NULL: deleting an account (personal data erasure)
  anonymises its events through the foreign key's SET_NULL;
- a DELETE of an event of a demo report (``is_demo``): demo data is not the city's record and
  can be removed; real reports cannot be deleted (the admin refuses too).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cityops_report_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.actor_id IS NULL
           AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
            RETURN NEW;
        END IF;
    ELSIF EXISTS (
        SELECT 1 FROM reports_report WHERE id = OLD.report_id AND is_demo
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'report events are append-only: % refused on event %', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS report_event_append_only ON reports_reportevent;
CREATE TRIGGER report_event_append_only
    BEFORE UPDATE OR DELETE ON reports_reportevent
    FOR EACH ROW EXECUTE FUNCTION cityops_report_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS report_event_append_only ON reports_reportevent;
DROP FUNCTION IF EXISTS cityops_report_event_append_only();
"""


def _on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # None: the % of RAISE is no placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
