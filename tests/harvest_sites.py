"""A small web of news sites on loopback for the harvester's tests and benchmark.

Each site is served by a real threaded ``http.server`` bound to its own loopback address
(127.0.0.2, 127.0.0.3, …, port 0), so per-host politeness can be observed from the server's
side. Feeds come in RSS 2.0, Atom and RSS 1.0, Persian and English, with full text or a
summary plus an article page; misbehaving sites play the failure modes a harvester meets.
"""

from __future__ import annotations

import gzip
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

EN_WORDS = (
    "minister council parliament election budget province river harvest drought teachers "
    "school hospital market prices wheat border trade talks agreement court judge ruling "
    "protest students journalists report survey village road bridge winter snow flood "
    "health vaccine clinic doctors farmers water reservoir energy power grid fuel exports "
    "imports currency bank inflation wages workers factory mining copper railway airport"
).split()
FA_WORDS = (
    "وزیر مجلس انتخابات بودجه ولایت رودخانه برداشت خشکسالی آموزگاران مکتب شفاخانه بازار "
    "قیمت گندم مرز تجارت گفت‌وگو توافق دادگاه قاضی حکم اعتراض دانشجویان خبرنگاران گزارش "
    "روستا جاده پل زمستان برف سیلاب سلامت واکسین درمانگاه داکتران دهقانان آب بند انرژی "
    "برق سوخت صادرات واردات پول بانک تورم دستمزد کارگران کارخانه معدن مس راه‌آهن میدان"
).split()
BASE_DATE = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def words(seed: str, language: str, count: int) -> str:
    rng = random.Random(seed)
    vocabulary = FA_WORDS if language == "fa" else EN_WORDS
    sentences = []
    for _ in range(max(1, count // 12)):
        sentence = " ".join(rng.choice(vocabulary) for _ in range(12))
        sentences.append(sentence.capitalize() + ("." if language == "en" else "."))
    return " ".join(sentences)


@dataclass
class Item:
    key: str
    language: str
    published: datetime | None

    @property
    def title(self) -> str:
        return words(f"title-{self.key}", self.language, 12)[:70].rstrip(" .") + f" {self.key}"

    @property
    def body(self) -> list[str]:
        return [words(f"{self.key}-{n}", self.language, 60) for n in range(4)]

    @property
    def summary(self) -> str:
        return words(f"summary-{self.key}", self.language, 24)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (timeouts)
    stream: int = 0  # bytes to stream without a length (huge responses)


Route = Callable[["Web", dict[str, str]], Reply]


class Web:
    def __init__(self, hosts: int = 6) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.prefixes: list[tuple[str, str, Callable[[str], Reply | None]]] = []
        self.log: list[tuple[str, str, float, dict[str, str]]] = []
        self.round = 0
        self._lock = threading.Lock()
        self.servers: list[ThreadingHTTPServer] = []
        for n in range(hosts):
            server = ThreadingHTTPServer((f"127.0.0.{n + 2}", 0), _handler(self))
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)

    def host(self, n: int) -> str:
        address, port = self.servers[n % len(self.servers)].server_address[:2]
        return f"{address}:{port}"

    def url(self, n: int, path: str) -> str:
        return f"http://{self.host(n)}{path}"

    def add(self, url: str, route: Route) -> None:
        host, path = url.removeprefix("http://").split("/", 1)
        self.routes[(host, "/" + path)] = route

    def add_prefix(self, url: str, make: Callable[[str], Reply | None]) -> None:
        """Answer every path under ``url`` with ``make(path)`` (None: 404)."""
        host, path = url.removeprefix("http://").split("/", 1)
        self.prefixes.append((host, "/" + path, make))

    def prefixed(self, host: str, path: str) -> Route | None:
        for own_host, prefix, make in self.prefixes:
            if own_host == host and path.startswith(prefix):
                reply = make(path)
                return (lambda _w, _h, reply=reply: reply) if reply is not None else None
        return None

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def requests_to(self, host_ip: str) -> list[float]:
        return sorted(t for host, _path, t, _h in self.log if host.split(":")[0] == host_ip)


def _handler(web: Web) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            address, port = self.server.server_address[:2]
            host = f"{address}:{port}"
            with web._lock:
                web.log.append((host, self.path, time.monotonic(), dict(self.headers)))
            route = web.routes.get((host, self.path)) or web.prefixed(host, self.path)
            reply = route(web, dict(self.headers)) if route else Reply(404, b"not found")
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if not reply.stream:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.stream:
                    chunk = b"<rss>" + b"x" * 65536
                    sent = 0
                    while sent < reply.stream:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                else:
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


# -- documents ----------------------------------------------------------------------------


def rss2(items: list[Item], *, link: str, full: bool, title: str = "News") -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>{escape(title)}</title><link>{link}</link>",
    ]
    for item in items:
        date = f"<pubDate>{format_datetime(item.published)}</pubDate>" if item.published else ""
        content = ""
        if full:
            html = "".join(f"<p>{escape(p)}</p>" for p in item.body)
            content = f"<content:encoded><![CDATA[{html}]]></content:encoded>"
        out.append(
            f"<item><title>{escape(item.title)}</title><link>{link}/a/{item.key}</link>"
            f"<guid>{link}/a/{item.key}</guid>{date}"
            f"<description>{escape(item.summary)}</description>{content}</item>"
        )
    out.append("</channel></rss>")
    return "\n".join(out)


def atom(items: list[Item], *, link: str, full: bool, language: str = "en") -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">',
        f"<title>Atom news</title><id>{link}/</id><updated>2026-11-01T00:00:00Z</updated>",
    ]
    for item in items:
        date = item.published.isoformat() if item.published else ""
        body = "".join(f"<p>{escape(p)}</p>" for p in item.body) if full else ""
        content = f'<content type="html">{escape(body)}</content>' if full else ""
        stamp = f"<published>{date}</published><updated>{date}</updated>" if date else ""
        out.append(
            f"<entry><title>{escape(item.title)}</title><id>urn:x:{item.key}</id>"
            f'<link href="{link}/a/{item.key}"/>{stamp}'
            f"<summary>{escape(item.summary)}</summary>{content}</entry>"
        )
    out.append("</feed>")
    return "\n".join(out)


def rdf(items: list[Item], *, link: str) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f'<channel rdf:about="{link}/"><title>RDF news</title><link>{link}</link></channel>',
    ]
    for item in items:
        html = "".join(f"<p>{escape(p)}</p>" for p in item.body)
        date = f"<dc:date>{item.published.isoformat()}</dc:date>" if item.published else ""
        out.append(
            f'<item rdf:about="{link}/a/{item.key}"><title>{escape(item.title)}</title>'
            f"<link>{link}/a/{item.key}</link>{date}<description>{escape(item.summary)}"
            f"</description><content:encoded><![CDATA[{html}]]></content:encoded></item>"
        )
    out.append("</rdf:RDF>")
    return "\n".join(out)


def page(item: Item, *, lang: str | None = None, charset: str = "utf-8") -> str:
    lang = lang or item.language
    direction = "rtl" if lang in ("fa", "ar") else "ltr"
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item.body)
    date = item.published.isoformat() if item.published else ""
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}" dir="{direction}"><head>'
        f'<meta charset="{charset}"><title>{escape(item.title)}</title>{meta}</head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{escape(item.title)}</h1>"
        f"{paragraphs}</article><footer>Contact us</footer></body></html>"
    )


def items_for(
    key: str, language: str, count: int, *, start: int = 0, dated: bool = True
) -> list[Item]:
    return [
        Item(
            key=f"{key}-{n}",
            language=language,
            published=BASE_DATE + timedelta(hours=n) if dated else None,
        )
        for n in range(start, start + count)
    ]


def xml_reply(text: str, *, etag: str = "", modified: str = "", headers=None, charset="utf-8"):
    head = {"Content-Type": f"application/rss+xml; charset={charset}"}
    if etag:
        head["ETag"] = etag
    if modified:
        head["Last-Modified"] = modified
    head.update(headers or {})
    return Reply(200, text.encode(charset), head)


def conditional(web_headers: dict[str, str], etag: str, modified: str) -> bool:
    return (etag and web_headers.get("If-None-Match") == etag) or (
        modified and web_headers.get("If-Modified-Since") == modified
    )


def gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9)


# -- a world of sources for the tests ---------------------------------------------------------


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
