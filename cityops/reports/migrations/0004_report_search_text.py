"""Searches match stored, folded texts: ``search_text`` (as written, for IOC staff) and
``search_text_public`` (as the public reads it, personal data left out), so that no public
search confirms a masked phone number, e-mail or citizen ID. Existing reports are filled in."""

from typing import Any

from django.db import migrations, models

BATCH = 2_000


def fill_search_texts(apps: Any, schema_editor: Any) -> None:
    # The one definition of the search texts; it reads three strings and nothing of the models.
    from cityops.reports.services import report_search_fields

    report_model = apps.get_model("reports", "Report")
    rows = report_model.objects.only("pk", "title", "description", "address").order_by("pk")
    batch = []
    for report in rows.iterator(chunk_size=BATCH):
        fields = report_search_fields(
            title=report.title, description=report.description, address=report.address
        )
        report.search_text, report.search_text_public = (
            fields["search_text"],
            fields["search_text_public"],
        )
        batch.append(report)
        if len(batch) >= BATCH:
            report_model.objects.bulk_update(batch, ["search_text", "search_text_public"])
            batch = []
    if batch:
        report_model.objects.bulk_update(batch, ["search_text", "search_text_public"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_event_latest_public_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="search_text_public",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="public search text"
            ),
        ),
        migrations.RunPython(fill_search_texts, migrations.RunPython.noop, elidable=True),
    ]
