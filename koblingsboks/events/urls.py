"""URLs of the events app."""

app_name = "events"

urlpatterns: list = []
