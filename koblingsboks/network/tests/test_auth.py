"""Signing in and out, login throttling (django-axes) and password reset."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"  # set by UserFactory
LOGIN = "/accounts/login/"


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


def _sign_in(client, email, password=PASSWORD, ip="127.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_sign_in_with_email_goes_to_the_dashboard(client, tenant_a):
    response = _sign_in(client, tenant_a.advisor.email)

    assert response.status_code == 302
    assert response.url == "/dashboard/"
    assert _signed_in_as(client) == str(tenant_a.advisor.pk)
    assert client.get("/dashboard/").status_code == 200


def test_email_is_not_case_sensitive(client, tenant_a):
    response = _sign_in(client, f"  {tenant_a.advisor.email.upper()}  ")

    assert response.status_code == 302
    assert _signed_in_as(client) == str(tenant_a.advisor.pk)


def test_sign_in_follows_a_safe_next_url(client, tenant_a):
    response = client.post(
        LOGIN,
        {"username": tenant_a.admin.email, "password": PASSWORD, "next": "/organisation/members/"},
    )
    assert response.url == "/organisation/members/"

    client.post("/accounts/logout/")
    response = client.post(
        LOGIN,
        {"username": tenant_a.admin.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == "/dashboard/"


def test_wrong_password_gives_a_clear_error(client, tenant_a):
    response = _sign_in(client, tenant_a.advisor.email, password="feil-passord")

    assert response.status_code == 200
    assert _signed_in_as(client) is None
    form = response.context["form"]
    assert [e.code for e in form.non_field_errors().as_data()] == ["invalid_login"]
    page = response.content.decode()
    alert = re.search(r'<div class="errors" role="alert">(.*?)</div>', page, re.S)
    assert alert and alert.group(1).strip(), "the page must show an error"
    # The address is kept in the form, the password is not.
    assert f'value="{tenant_a.advisor.email}"' in page
    assert "feil-passord" not in page


def test_inactive_user_cannot_sign_in(client, db):
    user = UserFactory(is_active=False)
    response = _sign_in(client, user.email)
    assert response.status_code == 200
    assert _signed_in_as(client) is None


def test_signed_in_user_visiting_login_is_sent_to_the_dashboard(client, tenant_a):
    client.force_login(tenant_a.advisor)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response.url == "/dashboard/"


# --- throttling --------------------------------------------------------------------------


def _fail_until_locked(client, email, ip="127.0.0.1"):
    responses = [
        _sign_in(client, email, password=f"feil-{n}", ip=ip)
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    # Every attempt before the limit is an ordinary failed sign-in.
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    return responses[-1]


def test_lockout_after_the_failure_limit_even_with_the_right_password(client, tenant_a):
    email = tenant_a.advisor.email

    last_failure = _fail_until_locked(client, email)
    response = _sign_in(client, email)

    assert last_failure.status_code == 429
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert _signed_in_as(client) is None


@pytest.mark.parametrize("minutes", [15, 45])
def test_lockout_page_tells_the_configured_cool_off_period(client, tenant_a, minutes):
    with override_settings(AXES_COOLOFF_TIME=timedelta(minutes=minutes)):
        response = _fail_until_locked(client, tenant_a.advisor.email)

    assert response.status_code == 429
    text = re.sub(r"<[^>]+>", " ", response.content.decode().split("<main>")[1].split("</main>")[0])
    assert re.findall(r"\b\d+\b", text) == [str(minutes)]


def test_right_password_works_again_after_the_cool_off_period(client, tenant_a):
    email = tenant_a.advisor.email
    _fail_until_locked(client, email)
    assert _sign_in(client, email).status_code == 429

    # Travel in time: the failures happened longer ago than the cool-off period.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    response = _sign_in(client, email)

    assert response.status_code == 302
    assert _signed_in_as(client) == str(tenant_a.advisor.pk)


def test_shorter_cool_off_setting_is_respected(client, tenant_a):
    email = tenant_a.advisor.email
    with override_settings(AXES_COOLOFF_TIME=timedelta(minutes=1)):
        _fail_until_locked(client, email)
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=2))
        response = _sign_in(client, email)

    assert response.status_code == 302


def test_still_locked_just_before_the_cool_off_ends(client, tenant_a):
    email = tenant_a.advisor.email
    _fail_until_locked(client, email)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    )

    assert _sign_in(client, email).status_code == 429


def test_axes_reset_lifts_the_lockout(client, tenant_a):
    from axes.utils import reset

    email = tenant_a.advisor.email
    _fail_until_locked(client, email)

    reset(username=email)

    assert _sign_in(client, email).status_code == 302


def test_lockout_from_one_address_does_not_block_another(client, tenant_a):
    email = tenant_a.advisor.email
    _fail_until_locked(client, email, ip="203.0.113.7")
    assert _sign_in(client, email, ip="203.0.113.7").status_code == 429

    response = _sign_in(client, email, ip="198.51.100.22")

    assert response.status_code == 302
    assert _signed_in_as(client) == str(tenant_a.advisor.pk)


def test_lockout_of_one_user_does_not_block_another_user(client, tenant_a):
    _fail_until_locked(client, tenant_a.advisor.email)

    assert _sign_in(client, tenant_a.manager.email).status_code == 302


def test_successful_sign_in_resets_the_failure_count(client, tenant_a):
    email = tenant_a.advisor.email
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, email, password=f"feil-{n}")
    assert _sign_in(client, email).status_code == 302
    client.post("/accounts/logout/")

    # After a success the counter starts again, so one more failure does not lock.
    assert _sign_in(client, email, password="feil-igjen").status_code == 200
    assert _sign_in(client, email).status_code == 302


# --- signing out ---------------------------------------------------------------------


def test_sign_out_by_post(client, tenant_a):
    client.force_login(tenant_a.advisor)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert _signed_in_as(client) is None
    assert client.get("/dashboard/").status_code == 302


def test_sign_out_by_get_is_refused(client, tenant_a):
    client.force_login(tenant_a.advisor)

    assert client.get("/accounts/logout/").status_code == 405
    assert _signed_in_as(client) == str(tenant_a.advisor.pk)


# --- password reset ------------------------------------------------------------------


def _reset_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/password-reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_mail_link_sets_a_new_password(client, tenant_a):
    user = tenant_a.advisor

    response = client.post("/accounts/password-reset/", {"email": user.email.upper()})
    assert response.status_code == 302
    assert response.url == "/accounts/password-reset/sent/"
    [message] = mail.outbox
    assert message.to == [user.email]

    form_page = client.get(_reset_link(message), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "Nytt-Passord-2026!", "new_password2": "Nytt-Passord-2026!"}
    )
    assert done.status_code == 302
    assert done.url == "/accounts/password-reset/done/"

    assert _sign_in(client, user.email).status_code == 200  # the old password no longer works
    assert _sign_in(client, user.email, password="Nytt-Passord-2026!").status_code == 302
    assert _signed_in_as(client) == str(user.pk)


def test_password_reset_link_works_once(client, tenant_a):
    client.post("/accounts/password-reset/", {"email": tenant_a.advisor.email})
    link = _reset_link(mail.outbox[0])
    first = client.get(link, follow=True)
    client.post(
        first.redirect_chain[-1][0],
        {"new_password1": "Nytt-Passord-2026!", "new_password2": "Nytt-Passord-2026!"},
    )

    again = client.get(link, follow=True)

    assert again.context["validlink"] is False


def test_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(client, db):
    response = client.post("/accounts/password-reset/", {"email": "ingen@hage.example"})

    assert response.status_code == 302
    assert response.url == "/accounts/password-reset/sent/"
    assert mail.outbox == []


@pytest.mark.parametrize("url", ["/accounts/password-reset/", "/accounts/password-reset/sent/"])
def test_password_reset_pages_render(client, db, url):
    assert client.get(url).status_code == 200


def test_password_change_needs_sign_in(client, db):
    response = client.get("/accounts/password-change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_change_with_the_old_password(client, tenant_a):
    client.force_login(tenant_a.advisor)
    response = client.post(
        "/accounts/password-change/",
        {
            "old_password": PASSWORD,
            "new_password1": "fjordhagen-sommer-2026",
            "new_password2": "fjordhagen-sommer-2026",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-change/done/"
    tenant_a.advisor.refresh_from_db()
    assert tenant_a.advisor.check_password("fjordhagen-sommer-2026")


def test_password_change_refuses_a_wrong_old_password(client, tenant_a):
    client.force_login(tenant_a.advisor)
    response = client.post(
        "/accounts/password-change/",
        {
            "old_password": "not-the-password",
            "new_password1": "fjordhagen-sommer-2026",
            "new_password2": "fjordhagen-sommer-2026",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    tenant_a.advisor.refresh_from_db()
    assert tenant_a.advisor.check_password(PASSWORD)
