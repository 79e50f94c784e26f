"""Admin forms that check a row with the same service rules as the pages."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance


def service_checked_form(validate: Callable[[Any], None]) -> type[forms.ModelForm]:
    """Return a ModelForm class whose validation also runs `validate(instance)`.

    The admin saves through the services, which refuse what their rules refuse; checking the
    same rules while the form validates puts each error at its field instead of failing the save.
    """

    class ServiceCheckedForm(forms.ModelForm):
        def _post_clean(self) -> None:
            # The service's checks run before the model's: they name the field, where a
            # database constraint would only say which constraint failed.
            if not self._errors:
                opts = self._meta
                try:
                    self.instance = construct_instance(
                        self, self.instance, opts.fields, opts.exclude
                    )
                    validate(self.instance)
                except ValidationError as error:
                    self._update_errors(error)
                    return
            super()._post_clean()

    return ServiceCheckedForm
