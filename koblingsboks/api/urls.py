from django.urls import path

from koblingsboks.api import views

app_name = "api-tokens"

urlpatterns = [
    path("profile/tokens/", views.token_index, name="index"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
