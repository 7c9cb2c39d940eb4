"""Forms: the admin's agenda rows and formsets, and the secretariat's action forms.

Forms parse and present. The rules live on the models; a formset only gathers
its unsaved rows so the model rules can judge them together.
"""

from __future__ import annotations

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import access, history, live, outcomes, silence
from .models import (
    AgendaItem,
    Commitment,
    LiveEvent,
    Meeting,
    Registration,
    SilenceAnswer,
    Statement,
    check_agenda,
)
from .models.interpretation import INTERPRETATION_LANGUAGES, MAX_STATEMENT_CHARACTERS, language_name
from .models.registrations import MAX_DOCUMENT_BYTES
from .scheduling import MAX_SHIFT_MINUTES, suggested_slug


class EditVersionForm(forms.ModelForm):
    """A form that refuses to save over a change made since it was opened.

    It carries the row's edit version in a hidden field. If the row has been
    saved since, the save is refused with what the other person changed, and
    the hidden field moves on to the new version: saving again re-applies
    this form's values on top, knowingly.
    """

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    minor_change = forms.BooleanField(
        label=_("Minor correction"),
        required=False,
        help_text=_("A typo fix: leave this save out of the public “Changes to the agenda”."),
    )

    # Set by the admin's "restore this version" page, whose instance is an old copy.
    restoring = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        opened_at = cleaned.get("edit_version")
        if self.instance.pk and self.restoring:
            self.continue_from_current_row()
        elif self.instance.pk and opened_at is None:
            # Without the version it was opened at, a save could overwrite a newer one unseen.
            raise ValidationError(
                _(
                    "“%(row)s” can't be saved from this form: it does not say which version you opened. "
                    "Nothing was saved. Open the page again and make your change there."
                )
                % {"row": self.instance},
                code="no_edit_version",
            )
        elif self.instance.pk:
            rows = type(self.instance).objects.filter(pk=self.instance.pk)
            if transaction.get_connection().in_atomic_block:
                # Held until this save commits, so two saves can't both pass the check.
                rows = rows.select_for_update()
            current = rows.values_list("version", flat=True).first()
            if current is not None and current != opened_at:
                self.refuse_stale_save(opened_at, current)
        return cleaned

    def continue_from_current_row(self) -> None:
        """Let an old copy save as the next version, its calendar SEQUENCE raised, not rolled back."""
        current = type(self.instance).objects.get(pk=self.instance.pk)
        self.instance.version = current.version
        self.instance.sequence = current.sequence
        self.instance._loaded_calendar_values = current._loaded_calendar_values

    def refuse_stale_save(self, opened_at: int, current: int) -> None:
        who, lines = history.edits_since(self.instance, opened_at)
        data = self.data.copy()
        data[self.add_prefix("edit_version")] = str(current)
        self.data = data
        message = _(
            "“%(row)s” was changed %(who)s, after you opened it. Nothing of yours was saved. "
            "Your values are still in the form: check them against the changes below and save again "
            "to apply them on top."
        ) % {"row": self.instance, "who": who}
        raise ValidationError([message, *lines], code="stale_edit")


class AddedOnPurposeForm(forms.ModelForm):
    """An inline row the secretary added with "Add another": saved even at its defaults.

    Django skips an extra inline form nobody changed, so a speakers' list asked
    for at its defaults (3 minutes, every role) was silently not created.
    """

    def has_changed(self) -> bool:
        return self.instance._state.adding or super().has_changed()


class AgendaItemForm(EditVersionForm):
    """An agenda row whose end can be typed as a duration."""

    duration_minutes = forms.IntegerField(
        label=_("Duration (min)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_("Sets the end from the start."),
        widget=forms.NumberInput(attrs={"size": 4, "class": "vIntegerField"}),
    )

    class Meta:
        model = AgendaItem
        fields = [
            "meeting",
            "parent",
            "position",
            "starts_at",
            "ends_at",
            "title",
            "description",
            "is_parallel",
            "is_cancelled",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.duration_minutes:
            self.initial.setdefault("duration_minutes", self.instance.duration_minutes)
        if "title_es" in self.fields:
            # Spanish is the agenda's reference language: the other titles may wait.
            self.fields["title_es"].required = True

    def clean(self):
        cleaned = super().clean()
        duration = cleaned.get("duration_minutes")
        start = cleaned.get("starts_at")
        if duration and "duration_minutes" in self.changed_data:
            if not start:
                self.add_error("duration_minutes", _("Give the start too: the end is counted from it."))
            else:
                cleaned["ends_at"] = start + timedelta(minutes=duration)
                self.instance.ends_at = cleaned["ends_at"]
        return cleaned


class MeetingForm(EditVersionForm):
    """The meeting's admin form, whose agenda the inline rows' formset checks."""

    # The user saving, set by the admin: a meeting must stay one of their conferences'.
    editor = None

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug"):
            title = cleaned.get("title_es") or cleaned.get("title") or ""
            start = cleaned.get("starts_at")
            if title and start:
                cleaned["slug"] = self.instance.slug = suggested_slug(title, start.year)
        return cleaned

    def clean_conferences(self):
        conferences = self.cleaned_data["conferences"]
        if self.editor is not None and not access.covers(self.editor, conferences):
            raise ValidationError(
                _("Include your own conference: a meeting you save must be one you can still edit."),
                code="not_your_conference",
            )
        return conferences


class AgendaRowsFormSet(BaseInlineFormSet):
    """Agenda rows of one meeting or one topic, judged with the whole agenda before any is saved.

    Each row passes its own rules as it is cleaned; then the agenda as it would
    be after this save (the stored rows, these rows' unsaved values in their
    place, the meeting or topic of the page as edited) goes to
    `agenda_problems()`, so that moving two items in one save is judged by
    where both end up. Every item page and meeting page has one of these.
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if isinstance(self.instance, AgendaItem):
            form.instance.meeting = self.instance.meeting
        return form

    def proposed_agenda(self, meeting: Meeting) -> list[AgendaItem]:
        rows = [
            form.instance
            for form in self.forms
            if form not in self.deleted_forms and (form.instance.pk or form.has_changed())
        ]
        if isinstance(self.instance, AgendaItem):
            rows.append(self.instance)
        replaced = {row.pk for row in rows if row.pk} | {
            form.instance.pk for form in self.deleted_forms if form.instance.pk
        }
        if not meeting.pk:
            return rows
        return [*(item for item in meeting.agenda_items.all() if item.pk not in replaced), *rows]

    def clean(self):
        super().clean()
        if any(self.errors) or not self.page_row_is_valid():
            return  # each form shows its own row's errors first
        meeting = self.instance if isinstance(self.instance, Meeting) else self.instance.meeting
        check_agenda(meeting, self.proposed_agenda(meeting))

    def page_row_is_valid(self) -> bool:
        """Whether the meeting or item of the page, as edited, passes its own rules."""
        if isinstance(self.instance, AgendaItem) and not self.instance.meeting_id:
            return False
        try:
            self.instance.clean()
        except ValidationError:
            return False
        return True

    def save_new(self, form, commit=True):
        if isinstance(self.instance, AgendaItem):
            form.instance.meeting = self.instance.meeting
        return super().save_new(form, commit=commit)


class ShiftForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=-MAX_SHIFT_MINUTES,
        max_value=MAX_SHIFT_MINUTES,
        help_text=_("Positive to move later, negative to move earlier."),
    )


class RegistrationImportForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    file = forms.FileField(
        label=_("List of participants (CSV)"),
        help_text=_(
            "Columns: name, email, delegation or organisation, role (delegate, observer or civil society). "
            "Save the spreadsheet as CSV; commas or semicolons both work."
        ),
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = Meeting.dated_title


class CirculateDraftForm(forms.Form):
    """The deadline of a silence procedure, read in the meeting's zone (the view overrides the zone)."""

    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the meeting's time zone. Adopted then, unless a delegation has broken silence."),
    )


class DuplicateMeetingForm(forms.Form):
    on = forms.DateField(
        label=_("Date of the new meeting"),
        help_text=_("In the meeting's time zone; the agenda keeps its local times."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)


class TimeZoneForm(forms.Form):
    """The reader's own time zone, grouped by member country, then every other zone."""

    tz = forms.ChoiceField(label=_("Your time zone"))

    def __init__(self, *args, choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tz"].choices = choices
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "zone-form d-flex flex-wrap align-items-end gap-2"
        self.helper.add_input(Submit("", _("Show times"), css_class="btn-sm"))


class LiveActionForm(forms.Form):
    """A timekeeper's button: which action, on which item, by how many minutes."""

    action = forms.ChoiceField(
        choices=[(kind, label) for kind, label in LiveEvent.Kind.choices if kind not in live.FLOOR_KINDS]
    )
    item = forms.UUIDField(required=False)
    minutes = forms.IntegerField(required=False)
    # "End the meeting" is pressed twice: once to ask, once on "Yes, end the meeting".
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean_item(self) -> AgendaItem | None:
        return item_of(self.meeting, self.cleaned_data["item"])

    def perform(self, *, by, at, rehearsal: bool = False) -> live.Replay:
        """Record the pressed action in the event log, which checks it against the state."""
        data = self.cleaned_data
        return live.append(
            self.meeting,
            data["action"],
            by=by,
            at=at,
            item=data["item"],
            minutes=data["minutes"],
            rehearsal=rehearsal,
            confirmed=data["confirm"],
        )


def item_of(meeting: Meeting, value) -> AgendaItem | None:
    """The agenda item a form names by its UUID, if it is this meeting's."""
    if value is None:
        return None
    item = meeting.agenda_items.filter(uuid=value).first()
    if item is None:
        raise forms.ValidationError(_("That item is not on this meeting's agenda."))
    return item


class PlainButton(Submit):
    """A submit button styled only by the classes given: crispy's own adds btn-primary under them."""

    field_classes = "btn"


class FloorRequestForm(forms.Form):
    """A participant's "ask for the floor" (or "withdraw", or a statement) for their delegation on one item.

    Plain fields and a button: it works without JavaScript.
    """

    ASK, WITHDRAW, POINT_OF_ORDER, STATEMENT = "ask", "withdraw", "point_of_order", "statement"
    action = forms.ChoiceField(
        choices=[(name, name) for name in (ASK, WITHDRAW, POINT_OF_ORDER, STATEMENT)],
        widget=forms.HiddenInput,
    )
    item = forms.UUIDField(widget=forms.HiddenInput)
    speaks = forms.ChoiceField(label=_("Speaks"), required=False)
    group = forms.CharField(label=_("Group"), required=False, max_length=100)
    language = forms.ChoiceField(label=_("Speaks in"), required=False)
    statement_text = forms.CharField(
        label=_("The statement, for the interpreters"),
        required=False,
        max_length=MAX_STATEMENT_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    statement_file = forms.FileField(
        label=_("Or attach it (PDF or Word, at most %(limit)d MB)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )

    def __init__(self, *args, registration: Registration, capacities: list | None = None, **kwargs):
        """`capacities`: `live.capacities_for(registration)`, read once for a page's forms."""
        action = kwargs.get("initial", {}).get("action")
        item = kwargs.get("initial", {}).get("item", "")
        # A page has a form per item and action: ids are made unique by both.
        super().__init__(*args, auto_id=f"{action}-{item}-%s" if action else False, **kwargs)
        self.registration = registration
        self.statement: Statement | None = None
        asked = self.initial.get("action", self.data.get("action"))
        if asked == self.ASK and capacities is None:
            capacities = live.capacities_for(registration)
        if asked == self.ASK and len(capacities) > 1:
            self.fields["speaks"].choices = capacities
        else:
            del self.fields["speaks"], self.fields["group"]
        if asked == self.ASK:
            self.fields["language"].choices = [("", "—")] + [
                (code, language_name(code)) for code in INTERPRETATION_LANGUAGES
            ]
            self.fields["language"].initial = registration.language
        else:
            del self.fields["language"]
        if asked in (self.ASK, self.STATEMENT):
            file_field = self.fields["statement_file"]
            file_field.label = file_field.label % {"limit": MAX_DOCUMENT_BYTES // 2**20}
        else:
            del self.fields["statement_text"], self.fields["statement_file"]
        self.helper = FormHelper()
        self.helper.form_action = reverse("agenda:private-floor", args=[registration.token])
        self.helper.form_class = "floor-form"
        label, style, prefix = {
            self.WITHDRAW: (_("Withdraw the request"), "btn-sm btn-outline-secondary", "floor"),
            self.POINT_OF_ORDER: (_("Raise a point of order"), "btn-sm btn-outline-danger", "order"),
            self.STATEMENT: (_("Send the statement"), "btn-sm btn-outline-primary", "statement"),
        }.get(action, (_("Ask for the floor"), "btn-sm btn-primary", "floor"))
        self.helper.form_class += " d-inline" if action in (self.WITHDRAW, self.POINT_OF_ORDER) else " mt-1"
        if action == self.ASK:
            # The statement is optional, and long: folded away under its own line.
            choices = [Field(name, wrapper_class="col-auto") for name in ("speaks", "group", "language")]
            self.helper.layout = Layout(
                "action",
                "item",
                Div(*(field for field in choices if field.fields[0] in self.fields), css_class="row g-2"),
                HTML(
                    format_html(
                        '<details class="floor-statement small mb-1"><summary>{}</summary>',
                        _("Attach your statement for the interpreters (kept from everyone else)"),
                    )
                ),
                "statement_text",
                "statement_file",
                HTML("</details>"),
            )
        self.helper.add_input(PlainButton("", label, css_class=style, css_id=f"{prefix}-{item}"))

    def clean_item(self) -> AgendaItem:
        return item_of(self.registration.meeting, self.cleaned_data["item"])

    def clean(self):
        data = super().clean()
        text, file = data.get("statement_text", ""), data.get("statement_file")
        if text.strip() or file or data.get("action") == self.STATEMENT:
            # The statement's own rules (a text or a file; a real PDF or Word file within the limit).
            statement = Statement(text=text.strip(), file=file)
            try:
                statement.full_clean(exclude=["request", "sent_at", "sent_by"])
            except ValidationError as invalid:
                raise ValidationError(invalid.messages) from invalid
            self.statement = statement
        return data

    def perform(self, *, at) -> live.Replay:
        item = self.cleaned_data["item"]
        action = self.cleaned_data["action"]
        if action == self.WITHDRAW:
            return live.withdraw(self.registration, item, at=at)
        if action == self.STATEMENT:
            return live.send_statement(self.registration, item, self.statement, at=at)
        capacity, _sep, on_behalf_of = (self.cleaned_data.get("speaks") or "national").partition(":")
        if capacity == LiveEvent.Capacity.GROUP:
            on_behalf_of = self.cleaned_data.get("group", "")
        return live.ask(
            self.registration,
            item,
            at=at,
            point_of_order=action == self.POINT_OF_ORDER,
            capacity=capacity,
            on_behalf_of=on_behalf_of,
            language=self.cleaned_data.get("language", ""),
            statement=self.statement,
        )


class SilenceAnswerForm(forms.Form):
    """A delegation's answer to a silence procedure, from its private link; or its confirmation."""

    SILENCE, CONFIRM = "silence", "confirm"
    answer = forms.ChoiceField(
        label=_("Your delegation's answer"),
        widget=forms.RadioSelect,
        choices=[
            (SILENCE, _("Stays silent: the draft is adopted at the deadline unless someone objects")),
            (SilenceAnswer.Kind.AGREE, _("Agrees")),
            (SilenceAnswer.Kind.AD_REFERENDUM, _("Agrees ad referendum, subject to confirmation")),
            (SilenceAnswer.Kind.OBJECT, _("Breaks silence: objects to an item")),
            (CONFIRM, CONFIRM),
        ],
    )
    confirm_by = forms.DateField(
        label=_("To be confirmed by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reservation = forms.CharField(
        label=_("Reservation or interpretative statement (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    item = forms.TypedChoiceField(
        label=_("The item objected to"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("That item is not on this meeting's agenda.")},
    )
    objection = forms.CharField(
        label=_("The objection"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposed_wording = forms.CharField(
        label=_("Proposed wording"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, registration: Registration, procedure, items: list[AgendaItem], **kwargs):
        super().__init__(*args, auto_id="silence-%s", **kwargs)
        self.registration, self.procedure = registration, procedure
        # Confirming is its own button, not one of the answers offered.
        self.fields["answer"].widget.choices = self.fields["answer"].choices[:-1]
        self.fields["item"].choices = [("", "—"), *((item.pk, item.title) for item in items)]
        self.items = {item.pk: item for item in items}
        self.helper = FormHelper()
        self.helper.form_action = reverse("agenda:private-silence", args=[registration.token])
        self.helper.add_input(PlainButton("", _("Send the answer"), css_class="btn-primary"))

    def clean_item(self) -> AgendaItem | None:
        return self.items.get(self.cleaned_data["item"])

    def perform(self, *, now) -> SilenceAnswer | None:
        data = self.cleaned_data
        if data["answer"] == self.CONFIRM:
            return silence.confirm(self.registration, self.procedure, now=now)
        kind = None if data["answer"] == self.SILENCE else data["answer"]
        details = {
            name: data.get(name)
            for name in ("confirm_by", "reservation", "item", "objection", "proposed_wording")
        }
        return silence.answer(self.registration, self.procedure, kind, now=now, **details)


class CommitmentReportForm(forms.Form):
    """The owner's report on one commitment, from its private link."""

    commitment = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, registration: Registration, owned: list[Commitment], **kwargs):
        commitment = kwargs.get("initial", {}).get("commitment", "")
        super().__init__(*args, auto_id=f"report-{commitment}-%s", **kwargs)
        self.registration, self.owned = registration, {owned.pk: owned for owned in owned}
        self.helper = FormHelper()
        self.helper.form_action = reverse("agenda:private-commitments", args=[registration.token])
        self.helper.form_class = "commitment-report row g-2 align-items-end"
        self.helper.layout = Layout(
            "commitment",
            Field("status", wrapper_class="col-auto"),
            Field("on", wrapper_class="col-auto"),
            Field("note", wrapper_class="col-12"),
        )
        self.helper.add_input(PlainButton("", _("Send the report"), css_class="btn-sm btn-primary"))

    def clean_commitment(self) -> Commitment:
        found = self.owned.get(self.cleaned_data["commitment"])
        if found is None:
            raise ValidationError(
                _("%(delegation)s does not answer for this commitment.")
                % {"delegation": self.registration.affiliation}
            )
        return found

    def perform(self, *, now):
        data = self.cleaned_data
        return outcomes.report(
            self.registration,
            data["commitment"],
            status=data["status"],
            note=data["note"],
            on=data["on"],
            now=now,
        )


class ConfirmReportForm(forms.Form):
    """The secretariat's confirmation of an owner's report: its status and note, amended or not."""

    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class FloorActionForm(forms.Form):
    """A moderator's button on the speakers' list: which action, on which item and request."""

    ADD = "add"
    action = forms.ChoiceField(
        choices=[
            (ADD, ADD),
            *((kind, label) for kind, label in LiveEvent.Kind.choices if kind in live.FLOOR_KINDS),
        ]
    )
    item = forms.UUIDField()
    request = forms.IntegerField(required=False)
    position = forms.IntegerField(required=False)
    delegation = forms.CharField(required=False, max_length=200)
    right_of_reply = forms.BooleanField(required=False)
    point_of_order = forms.BooleanField(required=False)
    capacity = forms.ChoiceField(choices=LiveEvent.Capacity.choices, required=False)
    on_behalf_of = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean_item(self) -> AgendaItem:
        return item_of(self.meeting, self.cleaned_data["item"])

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ADD and not (data.get("delegation") or "").strip():
            self.add_error("delegation", _("Choose the delegation that asked for the floor."))
        return data

    def perform(self, *, by, at, rehearsal: bool = False) -> live.Replay:
        data = self.cleaned_data
        if data["action"] == self.ADD:
            return live.add(
                self.meeting,
                data["item"],
                data["delegation"],
                right_of_reply=data["right_of_reply"],
                point_of_order=data["point_of_order"],
                capacity=data["capacity"] or LiveEvent.Capacity.NATIONAL,
                on_behalf_of=data["on_behalf_of"],
                by=by,
                at=at,
                rehearsal=rehearsal,
            )
        return live.act(
            self.meeting,
            data["action"],
            data["item"],
            by=by,
            at=at,
            rehearsal=rehearsal,
            request_id=data["request"],
            position=data["position"],
        )


# The agenda editor's own fields: the meeting's header and what to read the agenda from.
EDITOR_TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
EDITOR_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


def editor_moment(label) -> forms.SplitDateTimeField:
    """A date and a time to the minute, typed as the concept notes write them."""
    return forms.SplitDateTimeField(
        label=label,
        input_date_formats=EDITOR_DATE_FORMATS,
        input_time_formats=EDITOR_TIME_FORMATS,
        widget=forms.SplitDateTimeWidget(
            date_format="%Y-%m-%d", time_format="%H:%M", date_attrs={"size": 10}, time_attrs={"size": 5}
        ),
    )


class AgendaHeaderForm(forms.Form):
    """The meeting's title, start, end and concept note, above the agenda editor's table.

    Read and shown in the meeting's zone (the view holds it as the current zone).
    """

    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = editor_moment(_("Start"))
    ends_at = editor_moment(_("End"))

    def __init__(self, *args, language: str = "es", **kwargs):
        super().__init__(*args, **kwargs)
        # Spanish is the reference language; an English or Portuguese title may wait.
        self.fields["title"].required = language == "es"
        for name in Meeting.CONCEPT_NOTE_SECTIONS:
            self.fields[name] = forms.CharField(
                label=Meeting._meta.get_field(name).verbose_name.capitalize(),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    @property
    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in Meeting.CONCEPT_NOTE_SECTIONS}


class ConceptNoteForm(forms.Form):
    """What the agenda editor reads an agenda from: a pasted table, or the concept note as .docx."""

    MAX_BYTES = 10 * 1024 * 1024

    pasted = forms.CharField(
        label=_("Paste the agenda table"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Copied from Word, LibreOffice or Google Docs: the table, or tab-separated text."),
    )
    # The clipboard's HTML table, put here by the page's script when a table is pasted.
    pasted_html = forms.CharField(required=False, widget=forms.HiddenInput)
    concept_note = forms.FileField(
        label=_("or upload the concept note (.docx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )

    def clean_concept_note(self):
        upload = self.cleaned_data.get("concept_note")
        if upload and not upload.name.lower().endswith(".docx"):
            raise ValidationError(_("Upload the concept note as a Word document (.docx)."), code="not_docx")
        if upload and upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
        return upload

    def clean(self):
        cleaned = super().clean()
        given = cleaned.get("pasted") or cleaned.get("pasted_html") or cleaned.get("concept_note")
        if not given and not self.errors:
            raise ValidationError(_("Paste the agenda's table or choose the concept note's file."))
        return cleaned
