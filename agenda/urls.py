from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("meetings.ics", views.series_ical, name="series-ical"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<slug:slug>/embed/", views.meeting_embed, name="meeting-embed"),
    path("meetings/<slug:slug>.ics", views.meeting_ical, name="meeting-ical"),
    path("meetings/<slug:slug>/agenda.ics", views.meeting_agenda_ical, name="meeting-agenda-ical"),
    path("meetings/<slug:slug>/items/<uuid:item>.ics", views.item_ical, name="item-ical"),
    path("meetings/<slug:slug>/agenda.pdf", views.agenda_pdf, name="meeting-agenda-pdf"),
    path("meetings/<slug:slug>/agenda.txt", views.agenda_text, name="meeting-agenda-text"),
    path("meetings/<slug:slug>/live.json", views.live_state, name="live-state"),
    path("meetings/<slug:slug>/speaker/", views.speaker_view, name="speaker-view"),
    path("meetings/<slug:slug>/timekeeper/", views.timekeeper, name="timekeeper"),
    path("meetings/<slug:slug>/timekeeper/action/", views.timekeeper_action, name="timekeeper-action"),
    path("meetings/<slug:slug>/timekeeper/floor/", views.timekeeper_floor, name="timekeeper-floor"),
    # The same console on any day, its actions apart from the meeting's (agenda/live/events.py).
    path("meetings/<slug:slug>/rehearsal/", views.timekeeper, {"rehearsal": True}, name="rehearsal"),
    path(
        "meetings/<slug:slug>/rehearsal/action/",
        views.timekeeper_action,
        {"rehearsal": True},
        name="rehearsal-action",
    ),
    path(
        "meetings/<slug:slug>/rehearsal/floor/",
        views.timekeeper_floor,
        {"rehearsal": True},
        name="rehearsal-floor",
    ),
    path("meetings/<slug:slug>/rehearsal/live.json", views.rehearsal_state, name="rehearsal-state"),
    path("meetings/<slug:slug>/rehearsal/discard/", views.rehearsal_discard, name="rehearsal-discard"),
    path("meetings/<slug:slug>/report/", views.live_report, name="live-report"),
    # record.pdf or record.docx; any other format is a 404.
    path("meetings/<slug:slug>/record.<str:file_format>", views.meeting_record, name="meeting-record"),
    path("meetings/<slug:slug>/documents/<uuid:document>/", views.public_document, name="public-document"),
    # A statement sent for the interpreters: for the secretariat only (the console, the record).
    path(
        "meetings/<slug:slug>/statements/<uuid:statement>/", views.meeting_statement, name="meeting-statement"
    ),
    # A registered participant's private link: the token is their signed key.
    path("p/<str:token>/", views.private_page, name="private-page"),
    path("p/<str:token>/floor/", views.private_floor, name="private-floor"),
    path("p/<str:token>/silence/", views.private_silence, name="private-silence"),
    path("p/<str:token>/commitments/", views.private_commitments, name="private-commitments"),
    path("p/<str:token>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("p/<str:token>/meeting.ics", views.private_ical, name="private-ical"),
    path("p/<str:token>/documents/<uuid:document>/", views.private_document, name="private-document"),
    path("p/<str:token>/statements/<uuid:statement>/", views.private_statement, name="private-statement"),
    path(
        "conferences/<str:acronym>/commitments/", views.conference_commitments, name="conference-commitments"
    ),
    path(
        "conferences/<str:acronym>/commitments.csv",
        views.conference_commitments_csv,
        name="conference-commitments-csv",
    ),
    path(
        "api/conferences/<str:acronym>/commitments/",
        views.api_conference_commitments,
        name="api-conference-commitments",
    ),
    path("api/meetings/", views.api_meeting_list, name="api-meeting-list"),
    path("api/meetings/<slug:slug>/", views.api_meeting_detail, name="api-meeting-detail"),
]
