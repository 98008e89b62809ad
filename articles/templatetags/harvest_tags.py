from django import template

from articles.harvest.views import article_capture

register = template.Library()


@register.inclusion_tag("harvest/_capture.html")
def page_as_fetched(article):
    """Staff link to the WARC capture an article was made from, with its record id."""
    return {"capture": article_capture(article)}
