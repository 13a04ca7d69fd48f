"""URLs of the events app: the hosts' pages under /events/, public pages under /e/, the
links from e-mails under /events/r/ and the iCalendar feeds under /feeds/."""

from django.urls import path

from koblingsboks.events.views import hosts, public

app_name = "events"

urlpatterns = [
    # The hosts' pages
    path("events/", hosts.calendar_page, name="calendar"),
    path("events/month/", hosts.calendar_month, name="calendar-month"),
    path("events/new/", hosts.event_create_view, name="create"),
    path("events/feeds/", hosts.feed_links, name="feed-links"),
    path("events/personal-data/", hosts.registrant_data, name="registrant-data"),
    path("events/feeds/<int:pk>/revoke/", hosts.feed_link_revoke, name="feed-link-revoke"),
    path("events/<int:pk>/", hosts.event_detail, name="detail"),
    path("events/<int:pk>/event.ics", hosts.event_ics_view, name="event-ics"),
    path("events/<int:pk>/edit/", hosts.event_edit_view, name="edit"),
    path("events/<int:pk>/hosts/", hosts.event_hosts_view, name="hosts"),
    path("events/<int:pk>/status/", hosts.event_status_view, name="status"),
    path("events/<int:pk>/copy/", hosts.event_copy_view, name="copy"),
    path("events/<int:pk>/participants/", hosts.participants_page, name="participants"),
    path("events/<int:pk>/participants/add/", hosts.participant_add, name="participant-add"),
    path(
        "events/<int:pk>/participants/<int:rid>/check-in/",
        hosts.participant_check_in,
        name="check-in",
    ),
    path(
        "events/<int:pk>/participants/<int:rid>/cancel/",
        hosts.participant_cancel,
        name="participant-cancel",
    ),
    path(
        "events/<int:pk>/participants.csv",
        hosts.participants_export,
        {"fmt": "csv"},
        name="participants-csv",
    ),
    path(
        "events/<int:pk>/participants.xlsx",
        hosts.participants_export,
        {"fmt": "xlsx"},
        name="participants-xlsx",
    ),
    path("events/<int:pk>/message/", hosts.message_view, name="message"),
    path("events/<int:pk>/costs/", hosts.cost_add, name="cost-add"),
    path("events/<int:pk>/costs/<int:cid>/delete/", hosts.cost_delete, name="cost-delete"),
    path("events/<int:pk>/costs.csv", hosts.cost_export, {"fmt": "csv"}, name="costs-csv"),
    path("events/<int:pk>/costs.xlsx", hosts.cost_export, {"fmt": "xlsx"}, name="costs-xlsx"),
    path("events/<int:pk>/feedback/send/", hosts.feedback_send, name="feedback-send"),
    # Public pages and the links from e-mails
    path("e/", public.public_list, name="public-list"),
    path("e/company-lookup/", public.company_lookup, name="company-lookup"),
    path("e/<uuid:public_id>/", public.public_detail, name="public-detail"),
    path("e/<uuid:public_id>/event.ics", public.public_event_ics, name="public-ics"),
    path("events/r/<str:token>/cancel/", public.cancel_view, name="cancel"),
    path("events/r/<str:token>/feedback/", public.feedback_view, name="feedback"),
    # iCalendar feeds
    path("feeds/organisations/<slug:slug>.ics", public.organisation_feed, name="organisation-feed"),
    path("feeds/networks/<slug:slug>.ics", public.network_feed, name="network-feed"),
    path("feeds/private/<str:token>.ics", public.network_private_feed, name="network-private-feed"),
]
