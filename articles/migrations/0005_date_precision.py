"""The precision of publication dates (articles/dateprecision.py) and which statement of the
input a date was taken from (shown with the provenance).

Existing dates are read back: a date at exactly midnight UTC was a date without a time
(imports stored "2010-08-13" that way, and the pages then showed 04:30 in Kabul), anything else
a time.
"""

from datetime import UTC

from django.db import migrations, models
from django.utils import timezone


def read_back(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    dated = Article.objects.filter(published_at__isnull=False)
    dated.update(published_precision="time")
    with timezone.override(UTC):  # the hour lookups below are in UTC
        dated.filter(
            published_at__hour=0, published_at__minute=0, published_at__second=0
        ).update(published_precision="day")


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_curation")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="published_precision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("time", "date and time"),
                    ("day", "day"),
                    ("month", "month"),
                    ("year", "year only"),
                    ("", "no date"),
                ],
                default="",
                help_text="How much of the date the source gave; a time is never shown otherwise.",
                max_length=5,
                verbose_name="precision of the date",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="published_from",
            field=models.CharField(
                blank=True, editable=False, max_length=300, verbose_name="date taken from"
            ),
        ),
        migrations.RunPython(read_back, migrations.RunPython.noop, elidable=True),
    ]
