import factory
import pytest
from django.apps import apps

from staff.audit import audited_models
from tests import factories

FACTORIES = [
    obj
    for obj in vars(factories).values()
    if isinstance(obj, type)
    and issubclass(obj, factory.django.DjangoModelFactory)
    and obj is not factory.django.DjangoModelFactory
    and not obj._meta.abstract
]
PROJECT_APPS = ("staff", "customers", "feedback", "scorecards")


@pytest.mark.django_db
@pytest.mark.parametrize("model_factory", FACTORIES, ids=lambda f: f.__name__)
def test_factory_builds_a_valid_saved_object(model_factory):
    obj = model_factory()
    obj.full_clean(validate_constraints=True)
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_every_project_model_has_a_factory():
    covered = {f._meta.model for f in FACTORIES}
    # History tables (the audit log's and any other) are written by django-simple-history alone.
    models = {m for name in PROJECT_APPS for m in apps.get_app_config(name).get_models()}
    audit_tables = {m.history.model for m in audited_models()} | {
        m.history.model for m in models if hasattr(m, "history")
    }
    assert models - audit_tables - covered == set()
