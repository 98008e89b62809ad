"""Locust users for the load run: searches (HTML and JSON, fa and en), article pages and feeds.

The article addresses come from a file named by SOAK_ARTICLE_PATHS (written by soak/load.py),
so the mix hits real articles of the archive under test."""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task

_PATHS_FILE = os.environ.get("SOAK_ARTICLE_PATHS", "")
# Canonical article addresses (/en/articles/<id>/<slug>/), so no request is a redirect.
PATHS = open(_PATHS_FILE).read().split() if _PATHS_FILE else ["/en/articles/1/"]
QUERIES_EN = ["Kabul", "oil prices", "Tehran", "election", "peace talks", "bank", "Afghanistan",
              "trade OR market", '"foreign minister"', "wheat", "nuclear", "football"]  # fmt: skip
QUERIES_FA = ["کابل", "تهران", "فوتبال", "انتخابات", "اقتصاد", "کتاب‌ها", "طالبان", "بازار"]


class Reader(HttpUser):
    wait_time = between(0.2, 1.0)

    @task(5)
    def search_en(self) -> None:
        q = random.choice(QUERIES_EN)
        self.client.get("/en/search/", params={"q": q}, name="/en/search/?q=")

    @task(3)
    def search_fa(self) -> None:
        q = random.choice(QUERIES_FA)
        self.client.get("/fa/search/", params={"q": q}, name="/fa/search/?q=")

    @task(2)
    def search_json_filtered(self) -> None:
        q = random.choice(QUERIES_EN)
        params = {"q": q, "format": "json", "sort": "newest", "lang": "en"}
        self.client.get("/en/search/", params=params, name="/en/search/?format=json")

    @task(6)
    def article(self) -> None:
        path = random.choice(PATHS)
        if random.random() < 0.5:
            path = "/fa/" + path.removeprefix("/en/")
        self.client.get(path, name="/articles/<id>/<slug>/")

    @task(1)
    def feed_latest(self) -> None:
        self.client.get("/en/feeds/latest/rss/", name="/feeds/latest/rss/")

    @task(1)
    def feed_search(self) -> None:
        q = random.choice(QUERIES_EN)
        self.client.get("/en/feeds/search/atom/", params={"q": q, "limit": 20},
                        name="/feeds/search/atom/")  # fmt: skip
