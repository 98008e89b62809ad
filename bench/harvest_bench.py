"""Harvesting speed and memory: 100 loopback sources × 20 items, 10 rounds, two ways.

    .venv/bin/python -m bench.harvest_bench [--sources 100] [--items 20] [--rounds 10]
        [--hosts 20] [--delay 0.02]

The sites run in a separate process (tests/harvest_sites.py: threaded http.server on
127.0.0.x, port 0), so the memory measured is the harvester's alone. Each round every source's
feed moves on by 2 items (20 listed, 2 of them new), so round 1 creates sources × items
articles and each later one sources × 2. Two modes: feeds carrying the full text ("full
text in feed": no page fetch) and summary-only feeds ("page fetch": each new item's page is
fetched and extracted with trafilatura). Every response goes to the WARC files; the search
index only queues (as in production, where the indexer applies the queue). Memory is the
process's USS (psutil) after each round; "flat" means rounds 2..N stay within 10 % of round 2.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import time

from bench.common import django_setup, log, print_table, temporary_data_dir


def serve(ready, round_value, sources: int, items: int, hosts: int, full: bool) -> None:
    from tests.harvest_sites import BASE_DATE, Item, Reply, Web, items_for, page, rss2, xml_reply

    web = Web(hosts=hosts)
    urls = []
    for n in range(sources):
        base = web.url(n % hosts, f"/s{n}")
        language = "fa" if n % 2 else "en"

        def feed(_web, _headers, n=n, base=base, language=language):
            listed = items_for(f"s{n}", language, items + 2 * round_value.value)[-items:]
            return xml_reply(rss2(listed, link=base, full=full))

        def article(path, language=language):
            key = path.rsplit("/", 1)[1]
            hours = int(key.rsplit("-", 1)[1])
            from datetime import timedelta

            item = Item(key, language, BASE_DATE + timedelta(hours=hours))
            body = page(item).encode("utf-8")
            return Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})

        web.add(f"{base}/feed.xml", feed)
        web.add_prefix(f"{base}/a/", article)
        urls.append(f"{base}/feed.xml")
    ready.send(urls)
    ready.recv()  # until the benchmark is done
    web.close()


def uss_mb() -> float:
    gc.collect()
    try:
        import psutil

        return psutil.Process().memory_full_info().uss / 1024**2
    except (ImportError, AttributeError, OSError):
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    return 0.0


def run_mode(args, *, full: bool, label: str) -> list[list[object]]:
    from articles.harvest.harvester import Harvester
    from articles.harvest.models import Feed
    from articles.harvest.network import HarvestConfig
    from articles.models import Source

    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    round_value = context.Value("i", 0)
    server = context.Process(
        target=serve, args=(child, round_value, args.sources, args.items, args.hosts, full)
    )
    server.start()
    urls = parent.recv()
    prefix = "full" if full else "page"
    for n, url in enumerate(urls):
        source = Source.objects.create(
            slug=f"{prefix}-{n}", name_en=f"{label} {n}", new_article_status="published",
            default_language="fa" if n % 2 else "en",
        )  # fmt: skip
        Feed.objects.create(source=source, url=url)
    feeds = list(Feed.objects.select_related("source").filter(source__slug__startswith=prefix))
    config = HarvestConfig(delay=args.delay, per_host=1, workers=args.workers, timeout=10.0)
    harvester = Harvester(config)
    rows = []
    for number in range(args.rounds):
        round_value.value = number
        start = time.perf_counter()
        report = harvester.run(feeds)
        seconds = time.perf_counter() - start
        created = report.total("created")
        failed = report.total("failed") + sum(1 for f in report.feeds if f.outcome == "failed")
        rows.append([label, number + 1, created, report.total("unchanged"), failed, report.pages,
                     f"{seconds:.2f}", f"{created / seconds:.0f}", f"{uss_mb():.0f}"])  # fmt: skip
        log(f"{label} round {number + 1}: {rows[-1]}")
        for feed in feeds:
            feed.refresh_from_db()
    parent.send("done")
    server.join(timeout=10)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.02)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    with temporary_data_dir():
        django_setup()
        rows = run_mode(args, full=True, label="full text in feed")
        rows += run_mode(args, full=False, label="page fetch")
    headers = ["mode", "round", "created", "unchanged", "failed", "pages", "seconds",
               "articles/s", "USS MB"]  # fmt: skip
    print_table(headers, rows)
    for label in ("full text in feed", "page fetch"):
        later = [float(r[8]) for r in rows if r[0] == label and r[1] >= 2]
        growth = (max(later) - later[0]) / later[0] * 100 if later and later[0] else 0.0
        print(f"{label}: USS from round 2 to {args.rounds}: {later[0]:.0f} -> {later[-1]:.0f} MB "
              f"(max growth {growth:.1f} %, {'flat' if growth <= 10 else 'GROWING'})")  # fmt: skip
    print(f"pid {os.getpid()}")


if __name__ == "__main__":
    main()
