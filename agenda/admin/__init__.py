"""The secretariat's admin: meetings with their agenda inline, times in the meeting's zone.

One module a subject, as `models/` is: `meetings`, `items` (agenda items, participants,
shifting), `people` (conferences, countries, presidencies, people, organisations, staff),
`registrations`, `outcomes` (conclusions and commitments), `silence` (silence procedures);
`inlines` and `common` hold what they share.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import items, meetings, outcomes, people, registrations, silence

admin.site.site_header = _("Plenary: secretariat")
admin.site.site_title = _("Plenary")
admin.site.index_title = _("Meetings and agendas")

__all__ = ["items", "meetings", "outcomes", "people", "registrations", "silence"]
