from django.urls import include, path

from articles.curation.redirects import follow_merged_slugs
from articles.research import advanced
from articles.research import views as research
from articles.web import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/attention/", research.attention, name="attention"),
    path("search/terms/", research.terms, name="terms"),
    path("search/kwic/", research.kwic, name="kwic"),
    path("search/comentions/", research.comentions, name="comentions"),
    path("search/advanced/", advanced.advanced, name="advanced"),
    path("compare/", research.compare, name="compare"),
    path("help/", views.help_page, name="help"),
    path("articles/<int:pk>/", views.article_detail, name="article_short"),
    path("articles/<int:pk>/<str:slug>/", views.article_detail, name="article"),
    path("sources/<str:slug>/", views.source_detail, name="source"),
    path("entities/<str:slug>/", follow_merged_slugs(views.entity_detail), name="entity"),
    path("", include("articles.outputs.urls")),
    path("", include("articles.harvest.urls")),
]
