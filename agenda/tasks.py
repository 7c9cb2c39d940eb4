"""The background worker's tasks (huey; `manage.py run_huey`): mail, and silence procedures' deadlines."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import notifications, silence


def run_due() -> int:
    """Close the silence procedures whose deadline came (their mails are stored with them), then mail."""
    silence.close_due()
    return notifications.deliver_due()


@db_task()
def deliver_due() -> int:
    """Woken when a batch of changes falls due, or a procedure's deadline comes."""
    return run_due()


# The database holds the work: this sweep finds what a lost wake-up, a restart or a
# failed attempt left, the deadlines that came, and the reminders that fall due.
@db_periodic_task(crontab(minute="*"))
def sweep() -> int:
    return run_due()
