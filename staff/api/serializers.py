from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from staff.models import Employee, Team


class TeamSerializer(serializers.ModelSerializer):
    scorecard = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    managers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "slug", "scorecard", "managers"]


class EmployeeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name", read_only=True)
    team = serializers.SlugField(
        source="current_team_slug",
        read_only=True,
        allow_null=True,
        help_text=_("The team the employee is a member of today."),
    )

    class Meta:
        model = Employee
        fields = ["id", "name", "external_id", "role", "hire_date", "is_active", "team"]
