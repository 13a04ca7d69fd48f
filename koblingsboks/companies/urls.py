"""URLs of the companies app: the portfolio and register pages, and the CSV import pages."""

from koblingsboks.companies.views import import_urls, portfolio_urls

app_name = "companies"

urlpatterns = [*portfolio_urls.urlpatterns, *import_urls.urlpatterns]
