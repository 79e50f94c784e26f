from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from crs_site.api_schema import KnownFieldsOnly
from customers.choices import Channel
from customers.models import Customer, Interaction
from staff.bounds import ApiDayField, ApiMomentField
from staff.filtersets import MAX_ID

API_SOURCE = "api"
MAX_BATCH = 1000


class CustomerSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "company",
            "email",
            "phone",
            "language",
            "tier",
            "value_points",
            "external_id",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "value_points": {"max_value": 2**31 - 1},
            "external_id": {
                "validators": [UniqueValidator(queryset=Customer.objects.all())],
                "allow_blank": True,
            },
        }

    def validate_external_id(self, value):
        # A blank external id means none: it must not claim the unique "" for one customer.
        return value or None


class InteractionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Interaction
        fields = [
            "id",
            "customer",
            "employee",
            "channel",
            "subject",
            "notes",
            "opened_at",
            "first_response_at",
            "resolved_at",
            "is_first_contact_resolution",
            "is_escalated",
            "follow_up_due",
            "follow_up_done_at",
            "source",
            "external_id",
            "updated_at",
        ]
        read_only_fields = fields


def _reference(label: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("The %(label)s's id; or send %(label)s_external_id instead.")
        % {"label": label},
    )


def _external_reference(label: str) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        max_length=100,
        help_text=_("The %(label)s's external id, instead of its id.") % {"label": label},
    )


class InteractionWriteSerializer(KnownFieldsOnly, serializers.Serializer):
    """One interaction pushed by another tool; (source, external_id) makes re-sending an update."""

    customer = _reference("customer")
    customer_external_id = _external_reference("customer")
    customer_email = serializers.EmailField(
        required=False,
        max_length=254,
        help_text=_(
            "The customer's e-mail: finds the customer when no external id matches; with "
            "customer_name (or alone) creates the customer when none matches."
        ),
    )
    customer_name = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_(
            "The customer's name: with customer_external_id or customer_email, creates the "
            "customer when none matches, or updates the name of the one that does."
        ),
    )
    employee = _reference("employee")
    employee_external_id = _external_reference("employee")
    channel = serializers.ChoiceField(choices=Channel.choices)
    subject = serializers.CharField(max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    opened_at = ApiMomentField()
    first_response_at = ApiMomentField(required=False, allow_null=True, default=None)
    resolved_at = ApiMomentField(required=False, allow_null=True, default=None)
    is_first_contact_resolution = serializers.BooleanField(required=False, default=False)
    is_escalated = serializers.BooleanField(required=False, default=False)
    follow_up_due = ApiDayField(future=True, required=False, allow_null=True, default=None)
    follow_up_done_at = ApiMomentField(required=False, allow_null=True, default=None)
    source = serializers.CharField(max_length=40, required=False, default=API_SOURCE)
    external_id = serializers.CharField(max_length=100)

    def validate(self, attrs):
        errors = {}
        given = [key for key in ("employee", "employee_external_id") if key in attrs]
        if len(given) != 1:
            errors["employee"] = _("Send exactly one of %(name)s and %(name)s_external_id.") % {
                "name": "employee"
            }
        by_id = "customer" in attrs
        described = [key for key in ("customer_external_id", "customer_email") if key in attrs]
        if by_id == bool(described) or (by_id and "customer_name" in attrs):
            errors["customer"] = _(
                "Send either customer, or customer_external_id and/or customer_email "
                "(with customer_name to create the customer)."
            )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class UpsertResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    external_id = serializers.CharField()


class UpsertResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Rows created or updated."))
    results = UpsertResultSerializer(many=True)
