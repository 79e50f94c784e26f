from staff.selectors import employee_for_user, navigation_for_employee, navigation_grouped


def navigation(request):
    """Give every page the signed-in employee and the navigation their role allows."""
    if not request.user.is_authenticated:
        return {}
    employee = employee_for_user(user=request.user)
    items = navigation_for_employee(employee=employee, user=request.user)
    return {
        "employee": employee,
        "nav_items": items,
        "nav_entries": navigation_grouped(items=items),
    }
