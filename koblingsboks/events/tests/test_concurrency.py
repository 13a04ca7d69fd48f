"""Never more confirmed seats than capacity, also when many register for the last seats at
the same moment (PostgreSQL: real concurrent connections and row locks)."""

import threading

import pytest
from django.db import connection

from koblingsboks.core.exceptions import ServiceError
from koblingsboks.core.tenancy import organisation_scope
from koblingsboks.events import services
from koblingsboks.events.models import Registration
from koblingsboks.events.tests.factories import make_event

ON_POSTGRES = connection.vendor == "postgresql"


def _race(event, emails: list[str], action) -> list[str]:
    barrier = threading.Barrier(len(emails))
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(email):
        try:
            barrier.wait()
            result = action(event, email)
            with lock:
                outcomes.append(result)
        except ServiceError as exc:
            with lock:
                outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            with lock:
                outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _register(event, email):
    return services.registration_create(event=event, name=email, email=email).status


def _counts(event):
    with organisation_scope(event.organisation):
        registrations = Registration.objects.filter(event=event)
        return {
            status: registrations.filter(status=status).count()
            for status in Registration.Status.values
        }


@pytest.mark.skipif(not ON_POSTGRES, reason="needs concurrent connections")
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_many_people_registering_for_the_last_seat_at_once(tenant_a):
    event = make_event(tenant_a.organisation, capacity=3)
    for n in range(2):
        _register(event, f"early{n}@example.no")

    outcomes = _race(event, [f"racer{n}@example.no" for n in range(12)], _register)

    assert sorted(outcomes) == ["confirmed"] + ["waitlisted"] * 11, outcomes
    assert _counts(event) == {"confirmed": 3, "waitlisted": 11, "cancelled": 0}


@pytest.mark.skipif(not ON_POSTGRES, reason="needs concurrent connections")
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_address_twice_at_once_gives_one_registration(tenant_a):
    event = make_event(tenant_a.organisation, capacity=5)

    outcomes = _race(event, ["same@example.no"] * 6, _register)

    assert sorted(outcomes) == ["confirmed"] + ["duplicate"] * 5, outcomes
    assert _counts(event)["confirmed"] == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="needs concurrent connections")
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_cancellations_and_registrations_at_once_never_overbook(tenant_a):
    event = make_event(tenant_a.organisation, capacity=4)
    early = [
        services.registration_create(event=event, name="x", email=f"e{n}@example.no")
        for n in range(6)
    ]  # 4 confirmed, 2 waiting

    def act(event, email):
        if email.startswith("cancel:"):
            registration = next(r for r in early if r.email == email.split(":", 1)[1])
            services.registration_cancel(registration=registration, actor=None)
            return "cancelled"
        return _register(event, email)

    emails = ["cancel:e0@example.no", "cancel:e1@example.no"] + [
        f"new{n}@example.no" for n in range(6)
    ]
    outcomes = _race(event, emails, act)

    assert not [o for o in outcomes if o.startswith("error")], outcomes
    counts = _counts(event)
    assert counts["confirmed"] == 4
    assert counts["cancelled"] == 2
    # Those who waited first moved up before the newcomers.
    with organisation_scope(event.organisation):
        confirmed = set(
            Registration.objects.filter(event=event, status="confirmed").values_list(
                "email", flat=True
            )
        )
    assert {"e4@example.no", "e5@example.no"} <= confirmed
