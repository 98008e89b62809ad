"""A small bilingual archive for the page tests: counterparts, tags, a near-duplicate."""

from __future__ import annotations

from datetime import UTC, datetime

from articles import services
from articles.models import Entity
from tests.factories import make_article, make_entity, make_source, tag


def build_archive() -> dict:
    tolo = make_source(
        name_en="TOLOnews", name_fa="طلوع‌نیوز", slug="tolonews", default_language="fa"
    )
    pajhwok = make_source(name_en="Pajhwok", name_fa="پژواک", slug="pajhwok")
    taliban = make_entity(
        name_en="Taliban", name_fa="طالبان", slug="taliban", kind=Entity.Kind.GROUP,
        aliases={"en": ["Taliban", "Taleban"], "fa": ["طالبان"]},
    )  # fmt: skip
    kabul = make_entity(
        name_en="Kabul", name_fa="کابل", slug="kabul", kind=Entity.Kind.PLACE,
        aliases={"en": ["Kabul"], "fa": ["کابل"]},
    )  # fmt: skip
    fa_article = make_article(
        source=tolo, language="fa", title="نشست صلح در کابل برگزار شد",
        body="گفتگوهای صلح با حضور نمایندگان طالبان در کابل برگزار شد.",
        byline="گزارشگر طلوع", published_at=datetime(2021, 1, 4, 9, 30, tzinfo=UTC),
    )  # fmt: skip
    en_article = make_article(
        source=pajhwok, language="en", title="Peace meeting held in Kabul",
        body="Peace talks with Taliban representatives were held in Kabul.",
        byline="Staff reporter", published_at=datetime(2021, 1, 4, 11, 0, tzinfo=UTC),
        original_url="https://example.org/peace-meeting",
    )  # fmt: skip
    services.articles_link_counterparts(fa_article, en_article)
    duplicate = make_article(
        source=tolo, language="en", title="Kabul hosts peace meeting",
        body="Peace talks with Taliban representatives were held in Kabul today.",
        published_at=datetime(2021, 2, 1, 8, 0, tzinfo=UTC),
        duplicate_of=en_article, duplicate_score=0.91,
    )  # fmt: skip
    for article in (fa_article, en_article, duplicate):
        tag(article, taliban, mentions=2)
        tag(article, kabul)
    return {
        "tolo": tolo, "pajhwok": pajhwok, "taliban": taliban, "kabul": kabul,
        "fa": fa_article, "en": en_article, "duplicate": duplicate,
    }  # fmt: skip
