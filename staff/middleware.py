from django.utils import translation


class EmployeeLanguageMiddleware:
    """Speak the signed-in employee's own language, whatever the browser asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        employee = (
            getattr(request.user, "employee", None) if request.user.is_authenticated else None
        )
        if employee is not None:
            translation.activate(employee.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
