"""URLs of the capacity app."""

from django.urls import path

from koblingsboks.capacity import views

app_name = "capacity"

urlpatterns = [
    path("capacity/offers/", views.offer_list, name="offers"),
    path("capacity/offers/new/", views.offer_create, name="offer-create"),
    path("capacity/offers/<int:pk>/", views.offer_detail, name="offer-detail"),
    path("capacity/offers/<int:pk>/withdraw/", views.offer_withdraw, name="offer-withdraw"),
    path("capacity/requests/", views.request_list, name="requests"),
    path("capacity/requests/new/", views.request_create, name="request-create"),
    path("capacity/requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("capacity/requests/<int:pk>/close/", views.request_close, name="request-close"),
    path("capacity/requests/<int:pk>/book/", views.booking_propose, name="booking-propose"),
    path("capacity/bookings/", views.booking_list, name="bookings"),
    path("capacity/bookings/mine/", views.my_bookings, name="my-bookings"),
    path("capacity/bookings/<int:pk>/", views.booking_detail, name="booking-detail"),
    path("capacity/bookings/<int:pk>/accept/", views.booking_accept, name="booking-accept"),
    path("capacity/bookings/<int:pk>/decline/", views.booking_decline, name="booking-decline"),
    path("capacity/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("capacity/bookings/<int:pk>/complete/", views.booking_complete, name="booking-complete"),
    path("capacity/bookings/<int:pk>/extend/", views.booking_extend, name="booking-extend"),
    path("capacity/bookings/<int:pk>/hours/", views.time_entry_create, name="time-entry-create"),
    path("capacity/hours/", views.time_log, name="time-log"),
    path("capacity/hours/<int:pk>/delete/", views.time_entry_delete, name="time-entry-delete"),
    path("capacity/settlements/", views.settlement_list, name="settlements"),
    path("capacity/settlements/<int:pk>/", views.settlement_detail, name="settlement-detail"),
    path(
        "capacity/settlements/<int:pk>/approve/",
        views.settlement_approve,
        name="settlement-approve",
    ),
    path(
        "capacity/settlements/<int:pk>/export.xlsx",
        views.settlement_export_xlsx,
        name="settlement-export-xlsx",
    ),
    path(
        "capacity/settlements/<int:pk>/export.csv",
        views.settlement_export_csv,
        name="settlement-export-csv",
    ),
]
