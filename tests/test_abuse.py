"""Hostile requests: what a visitor or a stolen staff session can make the site do.

Off-site links built from the request path, provenance shown to staff without the permission to
read articles, and the favicon every browser asks for. Rate limits behind a proxy and the admin
login lockout have their own modules (tests/test_ratelimit_proxy.py, tests/test_login_lockout.py).
"""

from __future__ import annotations

import html5lib
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories import make_article

pytestmark = pytest.mark.django_db

OFF_SITE = ["//evil.example/x", "/\\evil.example/x", "//evil.example/fa/", "///evil.example/"]


def _links(markup: str) -> list[str]:
    document = html5lib.parse(markup, namespaceHTMLElements=False)
    return [
        element.get("href")
        for element in document.iter()
        if element.tag in {"a", "link"} and element.get("href") is not None
    ]


@pytest.mark.parametrize("path", OFF_SITE)
@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_404_page_links_only_to_paths_on_this_site(client, path, language):
    response = client.get("/", PATH_INFO=path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    links = _links(response.content.decode())
    assert links, "the 404 page has links"
    for href in (link for link in links if not link.startswith("#")):
        # Browsers read a backslash as a slash: `/\\host` is another site, `/%5Chost` is not.
        assert href.startswith("/") and href[1:2] not in {"/", "\\"}, (path, href)


def test_the_language_switch_of_a_prefixed_404_stays_on_the_site(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert 'hreflang="fa" href="/fa/no-such-page/"' in response.content.decode()


def _staff(username: str, *permissions: str) -> Client:
    user = get_user_model().objects.create_user(username, password="x", is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    client.force_login(user)
    return client


def test_provenance_needs_the_permission_to_view_articles_not_just_staff():
    article = make_article(
        provenance_origin="/srv/imports/secret-folder/page.txt",
        removed_blocks=["a block the cleaner removed"],
    )
    url = article.get_absolute_url()
    bare = _staff("bare").get(url).content.decode()
    assert "/srv/imports/secret-folder" not in bare
    assert "a block the cleaner removed" not in bare
    reader = _staff("reader", "view_article").get(url).content.decode()
    assert "/srv/imports/secret-folder/page.txt" in reader
    assert "a block the cleaner removed" in reader


def test_favicon_answers_with_an_icon(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert 'rel="icon"' in client.get("/en/").content.decode()
