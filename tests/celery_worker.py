"""Run a real Celery worker in a subprocess, on the test Redis and the test database.

The worker consumes one queue of its own, so tests running side by side never take each
other's messages, and it sees exactly the rows the test committed (tests that use it need
`@pytest.mark.django_db(transaction=True)`).
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis
from django.conf import settings
from django.db import connection

READY_TIMEOUT = 60
# Short enough that a message of a killed worker comes back within seconds; the restore sweep
# runs every second instead of every 100.
VISIBILITY_TIMEOUT = 10


def unique_queue() -> str:
    """Return a queue name no other test run uses."""
    return f"crs-test-{uuid.uuid4().hex[:12]}"


def queue_purge(queue: str) -> None:
    """Drop the queue's waiting messages and the unacknowledged ones bound for it."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        client.delete(queue)
        for tag, payload in client.hgetall("unacked").items():
            _message, _exchange, routing_key = json.loads(payload)
            if routing_key == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class CeleryWorker:
    """A `celery worker --pool=solo` subprocess consuming one queue."""

    def __init__(self, *, queue: str):
        self.queue = queue
        self.process: subprocess.Popen | None = None
        self.output: list[str] = []
        self._ready = threading.Event()

    def start(self) -> "CeleryWorker":
        """Start the worker and wait until it consumes."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "crs_site.settings.test",
            # The test database itself, not the one its name is derived from.
            "DATABASE_URL": _database_url(),
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            # Whatever the worker fans out stays on this test's queue.
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "crs_site",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read_output, daemon=True).start()
        if not self._ready.wait(READY_TIMEOUT):
            self.stop()
            raise AssertionError(f"worker did not start:\n{self.log}")
        return self

    def _read_output(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)
            if " ready." in line:
                self._ready.set()

    @property
    def log(self) -> str:
        """Return what the worker has written so far."""
        return "".join(self.output)

    @property
    def is_running(self) -> bool:
        """Tell whether the worker process is alive."""
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the worker: no shutdown, no acknowledgement, no cleanup."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=READY_TIMEOUT)

    def stop(self) -> None:
        """Stop the worker warmly, or kill it if it does not stop."""
        if not self.is_running:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=READY_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def celery_worker(*, queue: str) -> Iterator[CeleryWorker]:
    """Run a worker on the queue for the duration of the block."""
    worker = CeleryWorker(queue=queue).start()
    try:
        yield worker
    finally:
        worker.stop()


def wait_for(
    condition: Callable[[], bool],
    *,
    what: str,
    worker: CeleryWorker | None = None,
    timeout: float = 60,
) -> None:
    """Poll the condition until it holds; fail with the worker's log after the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if worker is not None and not worker.is_running:
            raise AssertionError(f"worker exited while waiting for {what}:\n{worker.log}")
        if time.monotonic() > deadline:
            log = worker.log if worker is not None else ""
            raise AssertionError(f"gave up waiting for {what} after {timeout} s\n{log}")
        time.sleep(0.2)


def use_broker(monkeypatch, url: str) -> None:
    """Point the app's publishers at another broker (the connection pools are rebuilt)."""
    from crs_site.celery import app

    monkeypatch.setitem(app.conf, "broker_url", url)
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
