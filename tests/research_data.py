"""A small bilingual archive for the research views: the page-test archive plus a drought
story in both languages (tagged), and unrelated market reports as background."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import make_article, make_entity, make_source, tag
from tests.ui_data import build_archive


def build_research_archive() -> dict:
    data = build_archive()
    source = make_source(slug="reuters", name_en="Reuters")
    herat = make_entity(name_en="Herat", name_fa="هرات", slug="herat")
    for n in range(6):
        article = make_article(
            source=source,
            language="en",
            title=f"Drought in Herat {n}",
            body=f"The drought hit wheat farmers near Herat. Wheat prices rose again {n}.",
            published_at=datetime(2021, 3, 1 + n, tzinfo=UTC),
        )
        tag(article, herat)
        tag(article, data["taliban"])
    for n in range(20):
        make_article(source=source, language="en", title=f"Market report {n}",
                     body=f"Shares and bonds moved little today {n}.")  # fmt: skip
    for n in range(4):
        make_article(
            source=data["tolo"],
            language="fa",
            title=f"خشکسالی در هرات {n}",
            body="خشکسالی کشاورزان گندم را در هرات آزار داد. قیمت گندم بالا رفت.",
            published_at=datetime(2021, 3, 10 + n, tzinfo=UTC),
        )
    return data | {"herat": herat}
