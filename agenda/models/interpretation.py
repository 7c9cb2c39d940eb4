"""Interpretation: the channels a meeting is heard on, and the statements sent to its interpreters."""

from __future__ import annotations

import uuid
import zipfile
from pathlib import PurePath

from babel import Locale
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .meetings import Meeting
from .registrations import Registration, delegation_key, validate_document_size

# The languages of the conferences' members: Spanish, English, Portuguese, and Canada's and Haiti's French.
INTERPRETATION_LANGUAGES = ["es", "en", "pt", "fr"]
STATEMENT_EXTENSIONS = ["pdf", "docx"]
MAX_STATEMENT_CHARACTERS = 50_000


def language_name(code: str) -> str:
    """A language named in the reader's: "inglés", "English", "inglês"."""
    reader = Locale.parse(translation.get_language() or "es", sep="-")
    return reader.languages.get(code, code)


class InterpretationChannel(models.Model):
    """One language a meeting is heard in, and where: "English: canal 2 (Zoom)"."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="interpretation_channels", verbose_name=_("meeting")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=[(code, code) for code in INTERPRETATION_LANGUAGES]
    )
    channel = models.CharField(
        _("channel"), max_length=200, help_text=_("As participants find it: “Canal 2 (Zoom)”, “Floor”.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("interpretation channel")
        verbose_name_plural = _("interpretation channels")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "language"], name="one_channel_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.language_name}: {self.channel}"

    @property
    def language_name(self) -> str:
        return language_name(self.language)


def validate_statement_content(file) -> None:
    """What the file holds, not only its name: a PDF starts so, a Word file is a zip with a body."""
    suffix = PurePath(file.name).suffix.lower()
    file.seek(0)
    if suffix == ".pdf":
        holds = file.read(5) == b"%PDF-"
    elif suffix == ".docx":
        try:
            holds = "word/document.xml" in zipfile.ZipFile(file).namelist()
        except zipfile.BadZipFile:
            holds = False
    else:
        return  # the extension's validator says what is accepted
    file.seek(0)
    if not holds:
        raise ValidationError(
            gettext("“%(name)s” is not a PDF or Word file, whatever its name says.")
            % {"name": PurePath(file.name).name},
            code="not_a_statement_file",
        )


def statement_path(statement: Statement, filename: str) -> str:
    # Not under the documents: a statement is confidential, and its name is ours too.
    return f"statements/{statement.uuid}{PurePath(filename).suffix.lower()}"


class Statement(models.Model):
    """A delegation's statement for one request for the floor, sent ahead for the interpreters.

    Only the interpreters, the delegation itself and the secretariat read it, before
    and after it is delivered; once delivered it is filed with the meeting's record.
    """

    request = models.OneToOneField(
        "agenda.LiveEvent",
        on_delete=models.CASCADE,
        related_name="statement",
        verbose_name=_("request for the floor"),
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    text = models.TextField(_("statement"), blank=True, max_length=MAX_STATEMENT_CHARACTERS)
    file = models.FileField(
        _("statement file"),
        upload_to=statement_path,
        blank=True,
        validators=[
            FileExtensionValidator(STATEMENT_EXTENSIONS),
            validate_document_size,
            validate_statement_content,
        ],
    )
    file_name = models.CharField(_("file name"), max_length=255, editable=False, blank=True)
    sent_by = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return self.file_name or gettext("Statement")

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.file_name = PurePath(self.file.name).name
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.text.strip() and not self.file:
            raise ValidationError(gettext("Write the statement or attach it as PDF or Word."))

    def may_be_read_by(self, registration: Registration) -> bool:
        """From a private link: the meeting's interpreters and the delegation that sent it, nobody else."""
        request = self.request
        if registration.is_revoked or registration.meeting_id != request.meeting_id:
            return False
        if registration.role == Registration.Role.INTERPRETER:
            return True
        return registration.delegation_key == delegation_key(request.delegation)
