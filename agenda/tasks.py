"""The background worker's tasks (huey; `manage.py run_huey`): sending participants' mail."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import notifications


@db_task()
def deliver_due() -> int:
    """Woken when a batch of changes falls due."""
    return notifications.deliver_due()


# The database holds the work: this sweep finds what a lost wake-up, a restart or a
# failed attempt left, and the reminders that fall due.
@db_periodic_task(crontab(minute="*"))
def sweep() -> int:
    return notifications.deliver_due()
