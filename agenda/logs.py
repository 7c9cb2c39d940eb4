"""Keep participants' private tokens out of the logs: only their first characters are written."""

import logging
import re

# "/p/<token>" as the private links' addresses write it (urls.py).
PRIVATE_PATH = re.compile(r"(/p/)([^/\s\"?]{6})[^/\s\"?]*")
# Django's request logs, runserver's and gunicorn's access and error logs.
LOGGERS = ("django.request", "django.server", "gunicorn.access", "gunicorn.error")


def mask(text: str) -> str:
    return PRIVATE_PATH.sub(r"\1\2…", text)


class HidePrivateTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, dict):
            record.args = {
                key: mask(value) if isinstance(value, str) else value for key, value in record.args.items()
            }
        elif isinstance(record.args, tuple):
            record.args = tuple(mask(value) if isinstance(value, str) else value for value in record.args)
        return True


def hide_private_tokens() -> None:
    for name in LOGGERS:
        logging.getLogger(name).addFilter(HidePrivateTokens())
