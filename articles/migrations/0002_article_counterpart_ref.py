from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="counterpart_ref",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="URL or dump id of the other-language version; linked once both exist.",
                max_length=1000,
                verbose_name="counterpart named by the input",
            ),
        ),
    ]
