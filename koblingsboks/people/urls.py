"""URLs of the people app."""

from django.urls import path

from koblingsboks.people import views

app_name = "people"

urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/<int:pk>/", views.profile_detail, name="profile-detail"),
    path("people/me/", views.profile_edit, name="profile-edit"),
    path("people/competences/", views.taxonomy, name="taxonomy"),
    path("people/competences/areas/new/", views.area_create, name="area-create"),
    path("people/competences/new/", views.competence_create, name="competence-create"),
    path("people/competences/<int:pk>/rename/", views.competence_rename, name="competence-rename"),
]
