"""Which Zendesk connections the beat polls, on whichever database Django is set up with; run as
a module it does so on a fresh SQLite file (the embedded database of `make run`) and prints their
names, so a test can hold them against PostgreSQL's (`test_zendesk_poller.py`).

    DATABASE_URL=sqlite:////tmp/x.sqlite3 DJANGO_SETTINGS_MODULE=crs_site.settings.test \\
        python -m tests.integrations.poll_scenario
"""


def polled_names() -> list[str]:
    """Add a running, a paused and a recorded (demo) connection; return the polled ones' names."""
    from integrations.choices import ConnectionKind
    from integrations.models import Connection
    from integrations.services import connection_create
    from integrations.zendesk.poller import connections_to_poll

    for name, settings in (
        ("Running", {"subdomain": "acme"}),
        ("Recorded", {"subdomain": "demo", "recorded": True}),
        ("Not recorded", {"subdomain": "other", "recorded": False}),
    ):
        connection_create(kind=ConnectionKind.ZENDESK, name=name, settings=settings)
    paused = connection_create(kind=ConnectionKind.ZENDESK, name="Paused", settings={})
    Connection.objects.filter(pk=paused.pk).update(is_paused=True)
    names = dict(Connection.objects.values_list("pk", "name"))
    return [names[pk] for pk in connections_to_poll()]


if __name__ == "__main__":
    from tests.on_sqlite import scenario_main

    scenario_main(polled_names)
