import pytest

from articles.text.sanitize import clean_title, html_to_text, sanitize_html, text_to_html


@pytest.mark.parametrize(
    "dirty",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
        "<svg onload=alert(1)><script>alert(1)</script></svg>",
        "<iframe src=https://evil.example></iframe>",
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<object data=x></object><embed src=x>",
        "<body onload=alert(1)>",
        "<<script>script>alert(1)<</script>/script>",
        '<div onmouseover="alert(1)">hover</div>',
    ],
)
def test_sanitize_removes_script_vectors(dirty):
    clean = sanitize_html(dirty).lower()
    for needle in ("<script", "javascript:", "onerror", "onload", "onmouseover", "<iframe",
                   "<svg", "style=", "data:", "<object", "<embed"):  # fmt: skip
        assert needle not in clean


def test_sanitize_keeps_news_markup_and_adds_rel():
    html = (
        "<h2>Heading</h2><p>Text with <strong>bold</strong>, <em>em</em> and "
        '<a href="https://example.org/x">a link</a>.</p><ul><li>one</li></ul>'
        "<blockquote>quote</blockquote>"
        '<figure><img src="https://example.org/a.jpg" alt="A"><figcaption>cap</figcaption></figure>'
        "<table><tr><th>h</th><td>d</td></tr></table>"
    )
    clean = sanitize_html(html)
    for kept in ("<h2>", "<strong>", "<em>", "<ul>", "<blockquote>", "<figure>", "<table>",
                 'src="https://example.org/a.jpg"'):  # fmt: skip
        assert kept in clean
    assert 'rel="nofollow noopener"' in clean


def test_h1_in_body_becomes_h2():
    assert sanitize_html("<h1>Title</h1>") == "<h2>Title</h2>"


def test_script_content_is_dropped_not_kept_as_text():
    assert "alert" not in sanitize_html("<p>ok<script>alert(1)</script></p>")


def test_plain_text_comes_from_paragraphs_in_persian():
    html = "<p>سلام دنیا</p><p>دومین   بند</p>"
    assert html_to_text(sanitize_html(html)) == "سلام دنیا\n\nدومین بند"


def test_text_to_html_escapes():
    assert text_to_html("a < b & c\n\nدوم") == "<p>a &lt; b &amp; c</p>\n<p>دوم</p>"


def test_clean_title_strips_bidi_overrides_and_controls():
    assert clean_title("abc\u202edef\x07 ghi") == "abcdef ghi"


def test_broken_html_is_handled():
    assert "unclosed" in sanitize_html("<p><b>unclosed <i>tags")
    assert sanitize_html("") == ""
    assert html_to_text("   ") == ""


@pytest.mark.parametrize("reference", ["&#x202E;", "&#8238;", "&#X202e", "&#x2067;", "&#x0202A;"])
@pytest.mark.parametrize("words", [("books", "reversed"), ("کتاب", "وارونه")])
def test_bidi_controls_written_as_character_references_are_dropped(reference, words):
    clean = sanitize_html(f"<p>{words[0]} {reference}{words[1]}</p>")
    assert clean == f"<p>{words[0]} {words[1]}</p>"
    assert html_to_text(f"<p>{words[0]} {reference}{words[1]}</p>") == f"{words[0]} {words[1]}"
