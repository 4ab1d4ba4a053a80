"""What every browser form shares (accessible errors, native date inputs), and the account page's
form for a new API token.

Forms validate and shape input only; the view hands ``cleaned_data`` to a service, which holds
the rules and writes (DESIGN §3).
"""

from django import forms
from django.utils.translation import gettext_lazy

from casetracker.api.tokens import DEFAULT_DAYS, MAX_DAYS


class DateInput(forms.DateInput):
    """The browser's own date picker, localised by the browser; ISO on the wire."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AccessibleFormMixin:
    """Native date pickers, and each error tied to its field for screen readers.

    Django marks a field with errors ``aria-invalid``; this also points ``aria-describedby`` at
    the error list (``<id>_errors``) and the help text, which ``components/field.html`` renders
    with those ids.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not isinstance(field.widget, DateInput):
                field.widget = DateInput(attrs=field.widget.attrs)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described = [f"{bound.auto_id}_errors"]
                if self.fields[name].help_text:
                    described.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


class Form(AccessibleFormMixin, forms.Form):
    pass


class ModelForm(AccessibleFormMixin, forms.ModelForm):
    pass


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the token is for"),
        max_length=100,
        help_text=gettext_lazy("For example “court laptop” or “practice software”."),
    )
    expires_days = forms.IntegerField(
        label=gettext_lazy("Expires in (days)"),
        initial=DEFAULT_DAYS,
        min_value=1,
        max_value=MAX_DAYS,
        help_text=gettext_lazy("The token stops working after this many days."),
    )


class OtpCodeForm(forms.Form):
    """A code from the authenticator app, or (at sign-in) a recovery code."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        help_text=gettext_lazy("The 6 digits your authenticator app shows now."),
    )


class ConfirmForm(forms.Form):
    """A deliberate "yes" for an action that cannot be undone."""

    confirm = forms.BooleanField(label=gettext_lazy("Yes, I understand"), required=True)


class MfaEnrolForm(OtpCodeForm):
    """The code that confirms an enrolment, with the secret it was made for (signed)."""

    signed_key = forms.CharField(widget=forms.HiddenInput)
