"""Locust users for the load run: searches (HTML and JSON, fa and en), article pages and feeds.

The article ids and query words come from environment variables set by soak/load.py, so the
mix hits real articles of the archive under test."""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task

IDS = [int(pk) for pk in os.environ.get("SOAK_ARTICLE_IDS", "1").split(",") if pk]
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
        pk = random.choice(IDS)
        self.client.get(f"/{random.choice(['en', 'fa'])}/articles/{pk}/", name="/articles/<id>/")

    @task(1)
    def feed_latest(self) -> None:
        self.client.get("/en/feeds/latest/rss/", name="/feeds/latest/rss/")

    @task(1)
    def feed_search(self) -> None:
        q = random.choice(QUERIES_EN)
        self.client.get("/en/feeds/search/atom/", params={"q": q, "limit": 20},
                        name="/feeds/search/atom/")  # fmt: skip
