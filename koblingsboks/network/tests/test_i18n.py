"""Language switch (Norwegian bokmål first, English second) and Norwegian formats."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from koblingsboks.core.formatting import format_nok, format_number

NBSP = "\xa0"


def _html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def _ui_text(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def test_norwegian_is_the_default(client_a):
    response = client_a.get("/dashboard/")

    assert _html_lang(response) == "nb"
    assert _ui_text("nb", "Sign out") in response.content.decode()


def test_switching_to_english_by_post(client_a):
    response = client_a.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})

    assert response.status_code == 302
    assert response.url == "/dashboard/"
    assert client_a.cookies["django_language"].value == "en"
    page = client_a.get("/dashboard/")
    assert _html_lang(page) == "en"
    english, norwegian = _ui_text("en", "Sign out"), _ui_text("nb", "Sign out")
    assert english != norwegian, "the Norwegian catalogue must translate the menu"
    assert english in page.content.decode()
    assert norwegian not in page.content.decode()


def test_switching_back_to_norwegian(client_a):
    client_a.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    client_a.post("/i18n/setlang/", {"language": "nb", "next": "/dashboard/"})

    page = client_a.get("/dashboard/")

    assert client_a.cookies["django_language"].value == "nb"
    assert _html_lang(page) == "nb"
    assert _ui_text("nb", "Sign out") in page.content.decode()


def test_language_switch_works_for_anonymous_visitors(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/organisations/"})
    assert _html_lang(client.get("/organisations/")) == "en"


def test_a_language_the_site_does_not_offer_falls_back_to_norwegian(client_a):
    client_a.post("/i18n/setlang/", {"language": "de", "next": "/dashboard/"})

    assert _html_lang(client_a.get("/dashboard/")) == "nb"


def test_language_switch_refuses_an_external_next_url(client_a):
    response = client_a.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert not response.url.startswith("https://evil.example")


def test_every_page_offers_the_other_language(client, db):
    page = client.get("/organisations/").content.decode()
    assert re.search(r'<button[^>]*name="language"[^>]*value="en"', page)
    assert not re.search(r'<button[^>]*name="language"[^>]*value="nb"', page)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_short_dates_are_day_month_year_with_dots(language):
    with translation.override(language):
        assert formats.date_format(datetime.date(2026, 11, 26), "SHORT_DATE_FORMAT") == "26.11.2026"
        assert formats.date_format(datetime.date(2026, 3, 5), "SHORT_DATE_FORMAT") == "05.03.2026"


def test_norwegian_long_date_has_a_day_with_a_full_stop():
    with translation.override("nb"):
        text = formats.date_format(datetime.date(2026, 11, 26), "DATE_FORMAT")
    assert text.startswith("26. ")
    assert text.endswith(" 2026")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_numbers_group_thousands_with_a_non_breaking_space_and_use_a_decimal_comma(language):
    with translation.override(language):
        assert format_number(1234567.5) == f"1{NBSP}234{NBSP}567,5"
        assert format_number(Decimal("1234.50"), 2) == f"1{NBSP}234,50"
        assert format_number(1234567) == f"1{NBSP}234{NBSP}567"
        assert format_number(999) == "999"
        assert format_number(None) == ""


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1234, f"kr{NBSP}1{NBSP}234"),
        (Decimal("1234.5"), f"kr{NBSP}1{NBSP}234,50"),
        (Decimal("-250.00"), f"kr{NBSP}-250"),
        (0, f"kr{NBSP}0"),
    ],
)
def test_nok_amounts_print_in_norwegian_format(amount, expected):
    with translation.override("nb"):
        assert format_nok(amount) == expected


def test_templates_group_figures_only_where_asked():
    template = engines["django"].from_string(
        '{% load kb_format %}{{ day|date:"SHORT_DATE_FORMAT" }} | {{ amount|number }} | '
        "{{ amount|nok }} | {{ pk }} | {{ year }}"
    )
    with translation.override("nb"):
        text = template.render(
            {"day": datetime.date(2026, 11, 26), "amount": 1234567.5, "pk": 1268, "year": 2026}
        )
    # Ids and years must never be grouped: they end up in form values and URLs.
    assert text == (
        f"26.11.2026 | 1{NBSP}234{NBSP}567,5 | kr{NBSP}1{NBSP}234{NBSP}567,50 | 1268 | 2026"
    )


def test_dates_on_pages_use_the_short_norwegian_format(client_a, tenant_a):
    page = client_a.get("/organisation/members/").content.decode()
    joined = timezone.localtime(tenant_a.membership(tenant_a.advisor).created_at)

    assert f"<td>{joined:%d.%m.%Y}</td>" in page
