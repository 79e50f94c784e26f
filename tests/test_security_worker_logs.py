"""A task queued during a request is logged by the worker with that request's id."""

import pytest

from crs_site.logging import request_id_var
from privacy.tasks import personal_data_retention_run
from tests.celery_worker import celery_worker, queue_purge, unique_queue, wait_for


@pytest.fixture
def queue():
    name = unique_queue()
    queue_purge(name)
    yield name
    queue_purge(name)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_a_task_with_the_id_of_the_request_that_queued_it(queue):
    with celery_worker(queue=queue) as worker:
        token = request_id_var.set("rid-from-web-42")
        try:
            personal_data_retention_run.apply_async(queue=queue)
        finally:
            request_id_var.reset(token)
        wait_for(lambda: "Retention:" in worker.log, what="the task's log line", worker=worker)

    line = next(line for line in worker.log.splitlines() if "Retention:" in line)
    assert "[rid-from-web-42]" in line
