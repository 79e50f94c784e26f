"""The admin writes through the services the pages use: forms that check a row with the
services' rules, and the saving and deleting around a service call."""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
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


def admin_object_is(obj: Model, saved: Model) -> None:
    """Make the admin's new object the row a service created, for the admin's log and redirect."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj.refresh_from_db()


@transaction.atomic
def delete_each(rows: Iterable[Model], delete: Callable[[Model], None]) -> None:
    """Delete the admin's selected rows one by one through the service, all or none."""
    for row in rows:
        delete(row)


class ServiceDeleteMixin:
    """An admin that deletes through its service: one row, or the selected ones, all or none.

    The admin names the service in `service_delete(obj)`; Django's own deletes would skip what
    the service does around the row (marking the days it counted on for rescoring).
    """

    def service_delete(self, obj: Any) -> None:
        raise NotImplementedError

    def delete_model(self, request: Any, obj: Any) -> None:
        self.service_delete(obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        delete_each(queryset, self.service_delete)
