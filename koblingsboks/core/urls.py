from django.urls import path

from koblingsboks.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organisation/switch/", views.switch_organisation, name="switch-organisation"),
]
