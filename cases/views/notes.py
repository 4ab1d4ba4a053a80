"""Updates filed on a case and the documents kept on it: file (with an optional attachment),
correct, upload, download, delete.

Filing an update is what an outside lawyer does from a phone after a hearing, so the case page
carries a quick form that posts here: with HTMX the new note appears in the list and the form
resets; without JavaScript it is a plain POST and a redirect back to the case page.

The forms live here rather than in a ``cases/forms.py``: they belong to these views only.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cases.access import CaseAction, case_can
from cases.choices import DocumentKind
from cases.documents import document_response
from cases.models import Case, Document, Note
from cases.services import (
    document_delete,
    document_upload,
    note_file,
    note_file_with_document,
    note_update,
)
from cases.views.base import CaseFormView
from casetracker import forms as ct_forms
from casetracker.access_log import access_note
from casetracker.pages import is_htmx, private
from casetracker.selectors import visible_get


def _file_help() -> str:
    return gettext_lazy(
        "A PDF, an image (PNG, JPEG, TIFF), a Word or OpenDocument text, or plain text; "
        "at most %(max)s."
    ) % {"max": filesizeformat(settings.DOCUMENT_MAX_BYTES)}


class NoteForm(ct_forms.Form):
    """An update, and optionally one file to keep with it."""

    occurred_on = forms.DateField(
        label=gettext_lazy("Date"),
        help_text=gettext_lazy("When it happened, e.g. the day of the hearing."),
    )
    body = forms.CharField(
        label=gettext_lazy("Update"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What happened, and what comes next."),
    )
    file = forms.FileField(label=gettext_lazy("Attach a file (optional)"), required=False)
    document_title = forms.CharField(
        label=gettext_lazy("Title of the file"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("What the file is; its name is used if you leave this empty."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()


class NoteEditForm(ct_forms.ModelForm):
    class Meta:
        model = Note
        fields = ("occurred_on", "body")


class DocumentForm(ct_forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("What the document is; its name is used if you leave this empty."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=DocumentKind.choices, initial=DocumentKind.OTHER
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()


# --- what the case page shows of notes and documents ---------------------------------------


def notes_of(case: Case) -> QuerySet[Note]:
    """The case's notes, newest first, with their authors and documents (three queries)."""
    return (
        Note.objects.filter(case=case)
        .select_related("author")
        .prefetch_related("documents")
        .order_by("-occurred_on", "-created_at", "-id")
    )


def documents_of(case: Case) -> QuerySet[Document]:
    return Document.objects.filter(case=case).select_related("uploaded_by").order_by("-created_at")


def _upload(
    *, acting_user, case: Case, file: UploadedFile, title: str, kind: str = DocumentKind.OTHER
) -> Document:
    """``document_upload`` with the file's own name as the title when none is given."""
    return document_upload(
        acting_user=acting_user,
        case=case,
        file=file,
        title=(title or file.name or _("Document"))[:200],
        kind=kind,
    )


class NoteCreateView(CaseFormView):
    """File an update: the quick form on the case page posts here, and it is a page of its own
    (where the quick form's errors land without JavaScript)."""

    action = CaseAction.FILE
    form_class = NoteForm
    title = gettext_lazy("File an update")
    submit_label = gettext_lazy("File the update")
    success_message = gettext_lazy("Update filed.")

    @property
    def quick(self) -> bool:
        """Posted by the case page's quick form, which HTMX swaps in place."""
        return self.request.POST.get("quick") == "1" and is_htmx(self.request)

    def get_initial(self) -> dict[str, Any]:
        return {"occurred_on": timezone.localdate()}

    def perform(self, form: forms.BaseForm) -> Note:
        data = form.cleaned_data
        note = {"acting_user": self.request.user, "case": self.case}
        note |= {"occurred_on": data["occurred_on"], "body": data["body"]}
        if data["file"]:
            return note_file_with_document(
                **note, file=data["file"], document_title=data["document_title"]
            )
        return note_file(**note)

    def form_valid(self, result: Note) -> HttpResponse:
        if self.quick:
            return self.quick_success(result)
        return super().form_valid(result)

    def quick_success(self, note: Note) -> HttpResponse:
        """A fresh quick form, and out of band the notes and documents as they now are."""
        context = self.quick_context(self.get_form(), filed=note)
        return private(render(self.request, "cases/notes/quick_success.html", context))

    def quick_context(self, form: forms.BaseForm, **context: Any) -> dict[str, Any]:
        user, case = self.request.user, self.case
        return {
            "case": case,
            "form": form,
            "notes": notes_of(case),
            "documents": documents_of(case),
            "can_file": True,
            "can_edit": case_can(user=user, case=case, action=CaseAction.EDIT),
            "can_delete": case_can(user=user, case=case, action=CaseAction.DELETE),
            **context,
        }

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        if self.quick:
            context = self.quick_context(form)
            return private(
                render(self.request, "cases/notes/quick_form.html", context, status=status)
            )
        return super().render_form(form, status=status)


class NoteUpdateView(CaseFormView):
    """Correct an update: its author may (with the right to file), others need to edit."""

    model = Note
    pk_url_kwarg = "note_id"
    select_related = ("case",)
    form_class = NoteEditForm
    title = gettext_lazy("Correct an update")

    def check_permission(self) -> None:
        is_author = self.object.author_id == self.request.user.pk
        self.action = CaseAction.FILE if is_author else CaseAction.EDIT
        super().check_permission()

    def perform(self, form: forms.BaseForm) -> Note:
        return note_update(
            acting_user=self.request.user, note=self.object, **self.service_kwargs(form)
        )

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()


class DocumentUploadView(CaseFormView):
    action = CaseAction.FILE
    form_class = DocumentForm
    title = gettext_lazy("Upload a document")
    submit_label = gettext_lazy("Upload")
    success_message = gettext_lazy("Document uploaded.")

    def perform(self, form: forms.BaseForm) -> Document:
        data = form.cleaned_data
        return _upload(
            acting_user=self.request.user,
            case=self.case,
            file=data["file"],
            title=data["title"],
            kind=data["kind"],
        )


note_create = NoteCreateView.as_view()
note_edit = NoteUpdateView.as_view()
document_upload_view = DocumentUploadView.as_view()


@login_required
@require_safe
def document_download(request: HttpRequest, document_id) -> HttpResponse:
    """The file, to whoever may see its case; 404 alike for a missing and a hidden document."""
    document = visible_get(user=request.user, queryset=Document.objects, pk=document_id)
    access_note(request, case_id=document.case_id)
    return document_response(document)


@login_required
@require_POST
def document_delete_view(request: HttpRequest, document_id) -> HttpResponse:
    document = visible_get(
        user=request.user, queryset=Document.objects.select_related("case"), pk=document_id
    )
    if not case_can(user=request.user, case=document.case, action=CaseAction.DELETE):
        raise PermissionDenied(_("You may not delete this case's documents."))
    try:
        document_delete(acting_user=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Document “%(title)s” deleted.") % {"title": document.title})
    return redirect(f"{document.case.get_absolute_url()}#documents")
