from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class SignInForm(AuthenticationForm):
    """Django's sign-in form, refusing an over-long user name at the field.

    AuthenticationForm sets the field's max_length only after the field is built, so no length
    validator runs and any name reaches authentication, where the lockout log (a 255-character
    column) failed on it with a server error.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
