from django.urls import path

from koblingsboks.network.views import account, directory, organisation

app_name = "network"

urlpatterns = [
    path("organisations/", directory.organisation_directory, name="directory"),
    path("organisations/<slug:slug>/", directory.organisation_page, name="organisation"),
    path("networks/", directory.network_index, name="networks"),
    path("networks/<slug:slug>/", directory.network_page, name="network"),
    path("organisation/edit/", organisation.organisation_edit, name="organisation-edit"),
    path("organisation/members/", organisation.member_index, name="members"),
    path(
        "organisation/members/<int:pk>/role/",
        organisation.member_change_role,
        name="member-role",
    ),
    path("organisation/members/<int:pk>/remove/", organisation.member_remove, name="member-remove"),
    path(
        "organisation/invitations/<int:pk>/revoke/",
        organisation.invitation_revoke_view,
        name="invitation-revoke",
    ),
    path("organisation/audit/", organisation.audit_log, name="audit-log"),
    path("organisation/audit/<int:pk>/", organisation.audit_entry, name="audit-entry"),
    path("invitations/<str:token>/", account.invitation_accept_view, name="invitation-accept"),
    path("profile/", account.profile, name="profile"),
]
