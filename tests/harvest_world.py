"""The 25 sources the harvester's tests play on the loopback web of ``harvest_sites``:
well-behaved feeds of every kind, and one site per failure mode."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tests.harvest_sites import (
    BASE_DATE,
    Item,
    Reply,
    Web,
    atom,
    conditional,
    gzip_bomb,
    items_for,
    page,
    rdf,
    rss2,
    xml_reply,
)


@dataclass
class SiteSpec:
    slug: str
    language: str
    feed_urls: list[str]
    expect_first: int  # articles created by the first round
    failing: bool = False


def static_feed(
    web: Web, url: str, text: str, *, etag: str = "", modified: str = "", charset: str = "utf-8"
) -> None:
    def route(_web: Web, headers: dict[str, str]) -> Reply:
        if conditional(headers, etag, modified):
            return Reply(304, b"", {"ETag": etag} if etag else {})
        return xml_reply(text, etag=etag, modified=modified, charset=charset)

    web.add(url, route)


def pages(
    web: Web,
    base: str,
    items: list[Item],
    *,
    lang: dict[str, str] | None = None,
    charset: str = "utf-8",
    declare: bool = True,
    missing: tuple[str, ...] = (),
) -> None:
    for item in items:
        if item.key in missing:
            continue
        html = page(item, lang=(lang or {}).get(item.key), charset=charset)
        if not declare:
            html = html.replace(f'<meta charset="{charset}">', "")
        ctype = f"text/html; charset={charset}" if declare else "text/html"
        if charset == "windows-1256":  # the code page has the Arabic yeh, not the Persian one
            html = html.replace("ی", "ي")
        body = html.encode(charset)
        web.add(
            f"{base}/a/{item.key}",
            lambda _w, _h, b=body, c=ctype: Reply(200, b, {"Content-Type": c}),
        )


def build_world(web: Web, *, repeat_items: int = 10_000) -> list[SiteSpec]:
    specs: list[SiteSpec] = []

    def base(n: int, slug: str) -> str:
        return web.url(n, f"/{slug}")

    b = base(0, "en-rss-full")
    static_feed(
        web, f"{b}/feed.xml", rss2(items_for("erf", "en", 5), link=b, full=True), etag='"v1"'
    )
    specs.append(SiteSpec("en-rss-full", "en", [f"{b}/feed.xml"], 5))

    b = base(1, "fa-rss-summary")
    its = items_for("frs", "fa", 4)
    static_feed(web, f"{b}/feed.xml", rss2(its, link=b, full=False),
                modified="Sun, 01 Nov 2026 08:00:00 GMT")  # fmt: skip
    pages(web, b, its)
    specs.append(SiteSpec("fa-rss-summary", "fa", [f"{b}/feed.xml"], 4))

    b = base(2, "en-atom-summary")
    its = items_for("eas", "en", 3)
    static_feed(web, f"{b}/atom.xml", atom(its, link=b, full=False))
    pages(web, b, its)
    specs.append(SiteSpec("en-atom-summary", "en", [f"{b}/atom.xml"], 3))

    b = base(3, "fa-atom-full")
    static_feed(
        web, f"{b}/atom.xml", atom(items_for("faf", "fa", 4), link=b, full=True, language="fa")
    )
    specs.append(SiteSpec("fa-atom-full", "fa", [f"{b}/atom.xml"], 4))

    b = base(4, "en-rdf")
    static_feed(web, f"{b}/index.rdf", rdf(items_for("erd", "en", 3), link=b))
    specs.append(SiteSpec("en-rdf", "en", [f"{b}/index.rdf"], 3))

    b = base(5, "fa-windows-1256")
    text = (
        rss2(items_for("fwd", "fa", 3), link=b, full=True)
        .replace('encoding="utf-8"', 'encoding="windows-1256"')
        .replace("ی", "ي")
    )
    static_feed(web, f"{b}/feed.xml", text, charset="windows-1256")
    specs.append(SiteSpec("fa-windows-1256", "fa", [f"{b}/feed.xml"], 3))

    b = base(0, "fa-1256-pages")
    its = items_for("fwp", "fa", 2)
    static_feed(web, f"{b}/feed.xml", rss2(its, link=b, full=False))
    pages(web, b, its, charset="windows-1256", declare=False)
    specs.append(SiteSpec("fa-1256-pages", "fa", [f"{b}/feed.xml"], 2))

    b = base(1, "busy")

    def busy(_web: Web, _headers: dict[str, str], b: str = b) -> Reply:
        its = items_for("bsy", "en", 6 + 6 * _web.round)
        return xml_reply(rss2(its[-20:], link=b, full=True))

    web.add(f"{b}/feed.xml", busy)
    specs.append(SiteSpec("busy", "en", [f"{b}/feed.xml"], 6))

    b = base(2, "silenced")
    static_feed(web, f"{b}/feed.xml", rss2(items_for("sil", "en", 4), link=b, full=True))
    specs.append(SiteSpec("silenced", "en", [f"{b}/feed.xml"], 4))

    b = base(3, "two-feeds")
    shared = items_for("two", "en", 1)
    static_feed(web, f"{b}/en.xml", rss2(shared + items_for("twe", "en", 2), link=b, full=True))
    static_feed(web, f"{b}/fa.xml", rss2(shared + items_for("twf", "fa", 2), link=b, full=True))
    specs.append(SiteSpec("two-feeds", "en", [f"{b}/en.xml", f"{b}/fa.xml"], 5))

    b = base(4, "moved")
    static_feed(web, f"{b}/new.xml", rss2(items_for("mov", "en", 2), link=b, full=True))
    web.add(f"{b}/old.xml", lambda _w, _h, b=b: Reply(301, b"", {"Location": f"{b}/new.xml"}))
    specs.append(SiteSpec("moved", "en", [f"{b}/old.xml"], 2))

    b = base(5, "undated")
    static_feed(
        web,
        f"{b}/atom.xml",
        atom(items_for("und", "fa", 2, dated=False), link=b, full=True, language="fa"),
    )
    specs.append(SiteSpec("undated", "fa", [f"{b}/atom.xml"], 2))

    b = base(0, "backdated")
    old = [Item(f"bkd-{n}", "en", datetime(1999, 3, 1 + n, tzinfo=UTC)) for n in range(2)]
    static_feed(web, f"{b}/feed.xml", rss2(old, link=b, full=True))
    specs.append(SiteSpec("backdated", "en", [f"{b}/feed.xml"], 2))

    b = base(1, "page-missing")
    its = items_for("pgm", "fa", 3)
    static_feed(web, f"{b}/feed.xml", rss2(its, link=b, full=False))
    pages(web, b, its, missing=(its[0].key,))
    specs.append(SiteSpec("page-missing", "fa", [f"{b}/feed.xml"], 2))

    b = base(2, "third-language")
    its = items_for("thl", "en", 3)
    static_feed(web, f"{b}/feed.xml", rss2(its, link=b, full=False))
    pages(web, b, its, lang={its[0].key: "ar", its[1].key: "fr"})
    specs.append(SiteSpec("third-language", "en", [f"{b}/feed.xml"], 1))

    b = base(3, "repeats")
    many = [Item(f"rep-{n}", "en", BASE_DATE - timedelta(minutes=n)) for n in range(repeat_items)]
    static_feed(web, f"{b}/feed.xml", rss2(many, link=b, full=False))
    pages(web, b, many[:50])
    specs.append(SiteSpec("repeats", "en", [f"{b}/feed.xml"], -1))

    # Failures: each is logged against its source and stops nothing else.
    b = base(4, "not-xml")
    web.add(
        f"{b}/feed.xml",
        lambda _w, _h: Reply(
            200, b"<html><body>Welcome</body></html>", {"Content-Type": "text/html"}
        ),
    )
    specs.append(SiteSpec("not-xml", "en", [f"{b}/feed.xml"], 0, failing=True))

    specs.append(SiteSpec("not-found", "en", [web.url(5, "/not-found/feed.xml")], 0, failing=True))

    b = base(0, "server-error")
    web.add(f"{b}/feed.xml", lambda _w, _h: Reply(500, b"oops"))
    specs.append(SiteSpec("server-error", "en", [f"{b}/feed.xml"], 0, failing=True))

    b = base(1, "slow")
    web.add(f"{b}/feed.xml", lambda _w, _h: Reply(200, b"<rss/>", delay=1.5))
    specs.append(SiteSpec("slow", "en", [f"{b}/feed.xml"], 0, failing=True))

    b = base(2, "loop")
    web.add(f"{b}/a.xml", lambda _w, _h, b=b: Reply(302, b"", {"Location": f"{b}/b.xml"}))
    web.add(f"{b}/b.xml", lambda _w, _h, b=b: Reply(302, b"", {"Location": f"{b}/a.xml"}))
    specs.append(SiteSpec("loop", "en", [f"{b}/a.xml"], 0, failing=True))

    b = base(3, "gigabyte")
    web.add(f"{b}/feed.xml", lambda _w, _h: Reply(200, b"", {"Content-Length": str(1 << 30)}))
    specs.append(SiteSpec("gigabyte", "en", [f"{b}/feed.xml"], 0, failing=True))

    b = base(4, "endless")
    web.add(
        f"{b}/feed.xml",
        lambda _w, _h: Reply(200, b"", {"Content-Type": "application/rss+xml"}, stream=1 << 30),
    )
    specs.append(SiteSpec("endless", "en", [f"{b}/feed.xml"], 0, failing=True))

    b = base(5, "gzip-bomb")
    bomb = gzip_bomb(20 * 1024 * 1024)
    web.add(
        f"{b}/feed.xml",
        lambda _w, _h: Reply(
            200, bomb, {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}
        ),
    )
    specs.append(SiteSpec("gzip-bomb", "en", [f"{b}/feed.xml"], 0, failing=True))

    b = base(6, "private")
    static_feed(web, f"{b}/feed.xml", rss2(items_for("prv", "en", 2), link=b, full=True))
    web.add(
        web.url(6, "/robots.txt"),
        lambda _w, _h: Reply(200, b"User-agent: *\nDisallow: /private/\n"),
    )
    specs.append(SiteSpec("private", "en", [f"{b}/feed.xml"], 0, failing=True))

    b = base(6, "public")
    static_feed(web, f"{b}/feed.xml", rss2(items_for("pub", "en", 2), link=b, full=True))
    specs.append(SiteSpec("public", "en", [f"{b}/feed.xml"], 2))
    return specs


def create_sources(specs: list[SiteSpec], *, status: str = "published") -> None:
    from articles.models import Feed, Source

    for spec in specs:
        source = Source.objects.create(
            name_en=spec.slug.replace("-", " ").title(),
            slug=spec.slug,
            default_language=spec.language,
            new_article_status=status,
        )
        for url in spec.feed_urls:
            Feed.objects.create(source=source, url=url)
