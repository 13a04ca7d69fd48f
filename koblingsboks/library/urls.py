"""URLs of the library app: the news feed, the methodology library, files, search,
notifications and the digest."""

from django.urls import path

from koblingsboks.library import views
from koblingsboks.library.feed import views as feed
from koblingsboks.library.feed.syndication import NetworkPublicFeed
from koblingsboks.library.methods import views as methods

app_name = "library"

urlpatterns = [
    path("feed/", feed.feed_page, name="feed"),
    path("feed/new/", feed.post_create_view, name="post-create"),
    path("feed/read/", feed.feed_mark_read, name="feed-mark-read"),
    path("feed/<int:pk>/", feed.post_detail_view, name="post-detail"),
    path("feed/<int:pk>/edit/", feed.post_edit_view, name="post-edit"),
    path("feed/<int:pk>/delete/", feed.post_delete_view, name="post-delete"),
    path("feed/<int:pk>/pin/", feed.post_pin_view, name="post-pin"),
    path("feed/<int:pk>/comments/", feed.comment_create_view, name="comment-create"),
    path("feed/comments/<int:pk>/edit/", feed.comment_edit_view, name="comment-edit"),
    path("feed/comments/<int:pk>/delete/", feed.comment_delete_view, name="comment-delete"),
    path("networks/<slug:slug>/news.atom", NetworkPublicFeed(), name="network-feed"),
    path("methods/", methods.method_list_view, name="methods"),
    path("methods/new/", methods.method_create_view, name="method-create"),
    path("methods/<int:pk>/", methods.method_detail_view, name="method-detail"),
    path("methods/<int:pk>/edit/", methods.method_edit_view, name="method-edit"),
    path("methods/<int:pk>/history/", methods.method_history_view, name="method-history"),
    path("methods/<int:pk>/experience/", methods.experience_add_view, name="method-experience"),
    path("files/<uuid:key>/<str:name>", views.attachment_view, name="attachment"),
    path("library/search/", views.search_page, name="search"),
    path("library/mentions/", views.mention_suggestions_view, name="mention-suggestions"),
    path("notifications/", views.notification_page, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("notifications/read/", views.notifications_read_all, name="notifications-read"),
    path("notifications/settings/", views.settings_page, name="settings"),
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
