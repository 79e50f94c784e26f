"""The benchmark settings for a Celery worker: connections kept between tasks, as the worker
keeps them in production (CONN_MAX_AGE) and as the benchmark's gunicorn does."""

from bench.settings import *  # noqa: F403
from bench.settings import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
