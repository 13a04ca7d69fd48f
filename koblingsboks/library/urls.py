"""URLs of the library app."""

app_name = "library"

urlpatterns: list = []
