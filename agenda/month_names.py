"""Month names for the project's catalogues, so that dates read "31 de maio de 2022".

Django's Portuguese catalogue capitalises month names ("Maio"), against current
Portuguese usage. Marking them here puts them in the project's catalogues, which
Django reads before its own. Nothing imports this module: makemessages reads it.
"""

from django.utils.translation import gettext_noop

MONTH_NAMES = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
