from django.urls import path

from articles.harvest import views

urlpatterns = [
    path("sources/", views.sources_directory, name="sources"),
    path("captures/<int:pk>/", views.capture_view, name="capture"),
    path("feeds/alerts/rss/", views.AlertsFeed(), name="feed_alerts_rss"),
]
