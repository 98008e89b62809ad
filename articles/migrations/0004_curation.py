import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_postgresql_listing_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="EntitySlugRedirect",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("old_slug", models.SlugField(allow_unicode=True, max_length=200, unique=True, verbose_name="old slug")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("entity", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="articles.entity", verbose_name="entity")),
            ],
        ),
        migrations.CreateModel(
            name="RetagRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(blank=True, max_length=300, verbose_name="reason")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={"ordering": ["id"]},
        ),
    ]
