"""Who is registered for a meeting, their private link, and the meeting's documents."""

from __future__ import annotations

import secrets
import unicodedata
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .fields import optional_link
from .meetings import Meeting
from .people import Country

# Signed with the site's SECRET_KEY: a guessed or altered token fails before any query.
LINK_SALT = "plenary.private-link"
DOCUMENT_EXTENSIONS = ["pdf", "docx", "doc", "pptx", "ppt", "xlsx", "xls", "odt", "ods", "odp", "txt", "csv"]
MAX_DOCUMENT_BYTES = 25 * 1024 * 1024


def new_link_key() -> str:
    return secrets.token_urlsafe(24)


class RegistrationQuerySet(models.QuerySet):
    def from_token(self, token: str, *, include_revoked: bool = False) -> Registration | None:
        """The registration a private link belongs to, or None if altered, guessed or revoked."""
        try:
            key = signing.Signer(salt=LINK_SALT).unsign(token)
        except signing.BadSignature:
            return None
        found = self.filter(link_key=key).select_related("meeting")
        return (found if include_revoked else found.filter(revoked_at__isnull=True)).first()

    def for_delegation(self, name: str) -> Registration | None:
        """A registration of the delegation `name`, however it is spelt: one says who they are."""
        key = delegation_key(name)
        return next((r for r in self.order_by("created_at", "id") if r.delegation_key == key), None)


def delegation_key(name: str) -> str:
    """What makes two spellings one delegation: "Delegación de México" and "delegacion de mexico "."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


# One registration per email in a meeting: a private link is personal.
ONE_REGISTRATION_PER_EMAIL = models.UniqueConstraint(
    fields=["meeting", "email"], name="one_registration_per_email_and_meeting"
)


class Registration(models.Model):
    """A participant the secretariat registered for a meeting, with a personal private link."""

    class Role(models.TextChoices):
        DELEGATE = "delegate", _("Delegate")
        OBSERVER = "observer", _("Observer")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        # Reads the statements sent ahead; never asks for the floor.
        INTERPRETER = "interpreter", _("Interpreter")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    affiliation = models.CharField(
        _("delegation or organisation"), max_length=200, help_text=_("“Delegación de México”, “OIM”…")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.DELEGATE)
    country = optional_link(
        Country,
        _("country"),
        related_name="+",
        help_text=_("For a delegation: the country it represents (the report adds up by conference)."),
    )
    language = models.CharField(
        _("language for mail"), max_length=2, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    unsubscribed_at = models.DateTimeField(_("stopped the mails"), null=True, blank=True, editable=False)
    present = models.BooleanField(
        _("present"),
        default=False,
        help_text=_("Marked by the secretariat; the meeting's record lists who was."),
    )
    link_key = models.CharField(max_length=64, unique=True, default=new_link_key, editable=False)
    revoked_at = models.DateTimeField(_("link revoked"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registered participant")
        verbose_name_plural = _("registered participants")
        ordering = ["affiliation", "name"]
        constraints = [ONE_REGISTRATION_PER_EMAIL]

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})"

    def clean(self) -> None:
        self.email = (self.email or "").strip().lower()
        if self.meeting_id and self.email:
            taken = Registration.objects.filter(meeting_id=self.meeting_id, email=self.email).exclude(
                pk=self.pk
            )
            if taken.exists():
                raise ValidationError(
                    {
                        "email": gettext("%(email)s is already registered for this meeting.")
                        % {"email": self.email}
                    }
                )

    @property
    def delegation_key(self) -> str:
        return delegation_key(self.affiliation)

    @property
    def token(self) -> str:
        return signing.Signer(salt=LINK_SALT).sign(self.link_key)

    def get_private_url(self) -> str:
        return reverse("agenda:private-page", args=[self.token])

    @property
    def gets_mail(self) -> bool:
        return self.revoked_at is None and self.unsubscribed_at is None

    def get_unsubscribe_url(self) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("agenda:unsubscribe", args=[self.token])

    def get_absolute_private_url(self) -> str:
        """The link as the secretariat sends it by email: whole, on the site's public address."""
        return settings.SITE_URL.rstrip("/") + self.get_private_url()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def link_refusal(self) -> str:
        """Why this link can no longer act (answer, ask, report), or "" while it is valid."""
        if self.revoked_at is None:
            return ""
        return gettext("This private link has been revoked: ask the secretariat for a new one.")

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def issue_new_link(self) -> None:
        """A fresh link, for a participant whose link went astray; the old one stops at once."""
        self.link_key = new_link_key()
        self.revoked_at = None
        self.save(update_fields=["link_key", "revoked_at"])


def validate_document_size(file) -> None:
    if file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            gettext("The file is %(size)d MB; the limit is %(limit)d MB.")
            % {"size": file.size // (1024 * 1024), "limit": MAX_DOCUMENT_BYTES // (1024 * 1024)},
            code="file_too_large",
        )


def document_path(document: MeetingDocument, filename: str) -> str:
    # The stored name is ours; the participant downloads it under its own name.
    return f"documents/{document.uuid}{PurePath(filename).suffix.lower()}"


class MeetingDocument(models.Model):
    """A file for a meeting: for everyone, or only for registered participants."""

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        PARTICIPANTS = "participants", _("Registered participants only")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting")
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS), validate_document_size],
        help_text=_("PDF, Word, PowerPoint, Excel, OpenDocument or text; at most 25 MB."),
    )
    file_name = models.CharField(_("file name"), max_length=255, editable=False, blank=True)
    audience = models.CharField(
        _("who may read it"), max_length=20, choices=Audience.choices, default=Audience.PARTICIPANTS
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.file_name = PurePath(self.file.name).name
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC
