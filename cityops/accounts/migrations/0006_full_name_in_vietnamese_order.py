"""One ``full_name`` in the Vietnamese order instead of Django's first and last names.

Existing names are joined family name first: ``last_name`` (họ, tên đệm) then ``first_name``
(tên), so "Bình" + "Nguyễn Văn" becomes "Nguyễn Văn Bình". Going back splits off the last word
as the given name.
"""

import unicodedata

from django.db import migrations, models

import cityops.accounts.phones


def _tidy(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


def join_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in (
        User.objects.exclude(first_name="", last_name="")
        .only("pk", "first_name", "last_name")
        .iterator(chunk_size=2000)
    ):
        full_name = _tidy(f"{user.last_name} {user.first_name}")[:300]
        User.objects.filter(pk=user.pk).update(full_name=full_name)


def split_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in (
        User.objects.exclude(full_name="").only("pk", "full_name").iterator(chunk_size=2000)
    ):
        *family, given = user.full_name.split()
        User.objects.filter(pk=user.pk).update(
            first_name=given[:150], last_name=" ".join(family)[:150]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_identity_access"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="full_name",
            field=models.CharField(
                blank=True,
                help_text="As the person writes it: family name first (Nguyễn Văn Bình).",
                max_length=300,
                verbose_name="full name",
            ),
        ),
        migrations.RunPython(join_names, split_names),
        migrations.RemoveField(model_name="user", name="first_name"),
        migrations.RemoveField(model_name="user", name="last_name"),
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=models.CharField(
                blank=True,
                help_text="A Vietnamese number, stored as 0xxxxxxxxx.",
                max_length=20,
                null=True,
                unique=True,
                validators=[cityops.accounts.phones.validate_phone],
                verbose_name="phone number",
            ),
        ),
    ]
