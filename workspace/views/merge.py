"""Merging two records of one person from the browser (issue #12): the two side by side, a
choice for every field they hold differently, a reason; then ``person_merge``. For the
organisation's caseworkers and admins."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from casetracker.forms import Form
from casetracker.pages import ServiceFormView
from casetracker.selectors import visible_get
from people.access import person_can_edit
from people.models import Person
from workspace.services import KEEP, MERGE, merge_conflicts, person_merge


def _shown(person: Person, field: str) -> str:
    value = getattr(person, f"get_{field}_display", lambda: getattr(person, field))()
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return str(value) if value not in ("", None) else "—"


class MergeForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Why these two records are one person. Recorded on the timeline."),
    )

    def __init__(self, *args, keep: Person, merge: Person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.conflicts = merge_conflicts(keep, merge)
        for field in self.conflicts:
            label = Person._meta.get_field(field).verbose_name
            self.fields[f"choice_{field}"] = forms.ChoiceField(
                label=str(label).capitalize(),
                widget=forms.RadioSelect,
                choices=[
                    (KEEP, _shown(keep, field)),
                    (MERGE, _shown(merge, field)),
                ],
            )

    def choices(self) -> dict[str, str]:
        return {field: self.cleaned_data[f"choice_{field}"] for field in self.conflicts}


class PersonMergeView(ServiceFormView):
    form_class = MergeForm
    title = _("Merge two records of one person")
    submit_label = _("Merge into the kept record")
    success_message = _("The records were merged.")
    template_name = "workspace/person_merge.html"

    def get_object(self) -> Person:
        self.merge = visible_get(
            user=self.request.user, queryset=Person.objects.all(), pk=self.kwargs["merge_id"]
        )
        return visible_get(
            user=self.request.user, queryset=Person.objects.all(), pk=self.kwargs["person_id"]
        )

    def check_permission(self) -> None:
        if not person_can_edit(user=self.request.user, organisation=self.object.organisation_id):
            raise PermissionDenied(
                _("Only an organisation's caseworkers and admins merge records.")
            )

    def get_form(self, data=None, files=None) -> forms.BaseForm:
        return MergeForm(data=data, keep=self.object, merge=self.merge)

    def perform(self, form) -> Person:
        return person_merge(
            acting_user=self.request.user,
            keep=self.object,
            merge=self.merge,
            reason=form.cleaned_data["reason"],
            choices=form.choices(),
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(
            keep=self.object,
            merge=self.merge,
            person=self.object,
            cancel_url=self.object.get_absolute_url(),
            **context,
        )
