import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited(settings):
    settings.RATELIMIT_ENABLE = True
    settings.NEWSARCHIVE_RATE_LIMITS = {"search": "3/m", "feeds": "2/m", "exports": "1/m"}
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield settings
    for cache in caches.all():
        cache.clear()


@pytest.mark.parametrize("language", ["fa", "en"])
def test_search_over_the_limit_gets_a_429_that_explains_itself(client, limited, language):
    for _ in range(3):
        assert client.get(f"/{language}/search/?q=kabul").status_code == 200
    response = client.get(f"/{language}/search/?q=kabul")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    body = response.content.decode()
    assert "3/m" in body
    if language == "fa":
        assert 'dir="rtl"' in body


def test_pages_that_are_cheap_are_not_limited(client, limited):
    for _ in range(10):
        assert client.get("/en/").status_code == 200


def test_limits_are_per_client(client, limited):
    for _ in range(3):
        client.get("/en/search/?q=x", REMOTE_ADDR="10.0.0.1")
    assert client.get("/en/search/?q=x", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/en/search/?q=x", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_content_security_policy_forbids_inline_script(client):
    policy = client.get("/en/")["Content-Security-Policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'self'" in script
    assert "object-src 'none'" in policy
