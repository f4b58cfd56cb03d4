"""What every form view shares."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal (per field where it names one of the form's fields, else for
    the whole form) shown on the form, which keeps what the person typed."""
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)
