"""gunicorn settings: `gunicorn --config python:crs_site.gunicorn_conf crs_site.wsgi`.

Access log lines carry the request id and redact survey tokens (/s/<token>/), API keys in query
strings and referrers; they leave out client addresses and user agents (personal data).
"""

from gunicorn import glogging

from crs_site.logging import redact


class RedactingLogger(glogging.Logger):
    """gunicorn's logger with every access-log field passed through the project's redaction."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }


logger_class = RedactingLogger
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
