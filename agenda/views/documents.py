"""A meeting's documents (public ones for anyone, the others through a participant's private link)
and the statements sent for its interpreters (their link, the sending delegation's, the secretariat)."""

from uuid import UUID

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .. import access
from ..models import Meeting, MeetingDocument, Statement
from .private import keep_private, registration_or_404


def serve_file(file, name: str) -> FileResponse:
    """A stored file under the name it was sent with; a 404 if the storage lost it."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, filename=name or file.name, as_attachment=False)


@require_safe
def public_document(request: HttpRequest, slug: str, document: UUID) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.public(), slug=slug)
    found = get_object_or_404(meeting.documents, uuid=document, audience=MeetingDocument.Audience.PUBLIC)
    response = serve_file(found.file, found.file_name)
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def private_document(request: HttpRequest, token: str, document: UUID) -> HttpResponse:
    registration = registration_or_404(token)
    found = get_object_or_404(registration.meeting.documents, uuid=document)
    return keep_private(serve_file(found.file, found.file_name))


def serve_statement(statement: Statement) -> HttpResponse:
    if not statement.file:
        return HttpResponse(statement.text, content_type="text/plain; charset=utf-8")
    return serve_file(statement.file, statement.file_name)


@require_safe
def private_statement(request: HttpRequest, token: str, statement: UUID) -> HttpResponse:
    """A statement, for the meeting's interpreters and the delegation that sent it; a 404 for anyone else."""
    registration = registration_or_404(token)
    found = get_object_or_404(Statement.objects.select_related("request"), uuid=statement)
    if not found.may_be_read_by(registration):
        raise Http404
    return keep_private(serve_statement(found))


@require_safe
@permission_required("agenda.view_meeting", raise_exception=True)
def meeting_statement(request: HttpRequest, slug: str, statement: UUID) -> HttpResponse:
    """A statement, for the secretariat of the meeting's conferences (the console's and the record's link)."""
    meeting = get_object_or_404(Meeting, slug=slug)
    if not access.works_on(request.user, meeting):
        raise PermissionDenied
    found = get_object_or_404(Statement.objects.filter(request__meeting=meeting), uuid=statement)
    return keep_private(serve_statement(found))
