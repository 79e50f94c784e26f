"""The user a request carries, for type annotations of selectors and services."""

from django.contrib.auth.models import AnonymousUser, User

# Signed in (the project keeps Django's user model) or anonymous: what `request.user` holds.
SiteUser = User | AnonymousUser
