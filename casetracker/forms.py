"""What every browser form shares: accessible errors and native date inputs.

Forms validate and shape input only; the view hands ``cleaned_data`` to a service, which holds
the rules and writes (DESIGN §3).
"""

from django import forms


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
