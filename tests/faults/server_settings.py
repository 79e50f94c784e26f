"""The test settings with production's database connection handling, for an app server.

Connections live across requests (CONN_MAX_AGE) and are checked before reuse
(CONN_HEALTH_CHECKS), as in production; the fault tests drop them under a running server.
"""

from crs_site.settings.test import *  # noqa: F403
from crs_site.settings.test import DATABASES, env

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
