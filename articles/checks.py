"""System checks whose messages say what to change."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.compatibility)
def check_data_dir(app_configs, **kwargs) -> list:
    data_dir = Path(settings.DATA_DIR)
    if not os.access(data_dir, os.W_OK):
        return [
            Error(
                f"The data directory {data_dir} is not writable.",
                hint="Set NEWSARCHIVE_DATA_DIR to a folder this user can write, or fix its "
                "permissions.",
                id="newsarchive.E001",
            )
        ]
    return []


@register(Tags.compatibility)
def check_languages(app_configs, **kwargs) -> list:
    codes = [code for code, _name in settings.LANGUAGES]
    if codes != ["fa", "en"]:
        return [
            Error(
                f"LANGUAGES is {codes}; the archive needs Persian and English.",
                hint='Set LANGUAGES = [("fa", "فارسی"), ("en", "English")] in settings.',
                id="newsarchive.E002",
            )
        ]
    return []


@register(Tags.compatibility)
def check_search_index_dir(app_configs, **kwargs) -> list:
    conn = settings.HAYSTACK_CONNECTIONS.get("default", {})
    path = conn.get("PATH")
    if not path:
        return []
    parent = Path(path)
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not os.access(parent, os.W_OK):
        return [
            Warning(
                f"The search index folder {path} cannot be written.",
                hint="Point NEWSARCHIVE_DATA_DIR at a writable folder, then run "
                "`python manage.py rebuild_index`.",
                id="newsarchive.W001",
            )
        ]
    return []
