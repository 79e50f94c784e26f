from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff and teams")

    def ready(self):
        # django.contrib.admin comes earlier in INSTALLED_APPS, so its ready() has already
        # imported every app's admin module: the audited models' admins exist by now.
        from staff.audit import audit_admin_register

        audit_admin_register()
