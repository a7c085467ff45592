"""Open311's ``status_notes`` reads each request's latest public note: one index probe per
request (open311.serializers.with_request_relations) instead of a report's whole timeline."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_events_append_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reportevent",
            index=models.Index(
                condition=models.Q(("visibility", "public"), models.Q(("note", ""), _negated=True)),
                fields=["report", "-created_at", "-id"],
                name="event_public_note_latest",
            ),
        ),
    ]
