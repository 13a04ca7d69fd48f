"""URLs of the capacity app."""

app_name = "capacity"

urlpatterns: list = []
