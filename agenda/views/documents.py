"""A meeting's documents: public ones for anyone, the others through a participant's private link."""

from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from ..models import Meeting, MeetingDocument
from .private import keep_private, registration_or_404


def serve_file(document: MeetingDocument) -> FileResponse:
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, filename=document.file_name or document.file.name, as_attachment=False)


@require_safe
def public_document(request: HttpRequest, slug: str, document: UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.public(), slug=slug)
    found = get_object_or_404(meeting.documents, uuid=document, audience=MeetingDocument.Audience.PUBLIC)
    response = serve_file(found)
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def private_document(request: HttpRequest, token: str, document: UUID) -> HttpResponse:
    registration = registration_or_404(token)
    found = get_object_or_404(registration.meeting.documents, uuid=document)
    return keep_private(serve_file(found))
