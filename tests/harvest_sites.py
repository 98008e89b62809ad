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
