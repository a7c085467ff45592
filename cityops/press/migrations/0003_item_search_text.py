from django.db import migrations, models

from cityops.intel.text import fold


def fill(apps, schema_editor):
    """Items kept before: their title and lead folded, as item_record writes them now."""
    Item = apps.get_model("press", "Item")
    for item in Item.objects.only("pk", "title", "lead").iterator():
        Item.objects.filter(pk=item.pk).update(search_text=fold(f"{item.title}\n{item.lead}"))


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0002_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
