from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from customers.choices import Channel, Tier
from staff.bounds import stored_in_range, validate_day_in_range, validate_future_day_in_range
from staff.choices import Language

SOURCE_WEB = "crs"


class Customer(models.Model):
    name = models.CharField(_("name"), max_length=200)
    company = models.CharField(_("company"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.EN
    )
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.STANDARD)
    value_points = models.PositiveIntegerField(_("value points"), default=0)
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)
    has_opted_out_of_surveys = models.BooleanField(_("opted out of surveys"), default=False)
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="uniq_customer_external_id"),
        ]
        indexes = [
            models.Index(fields=["email"], name="customer_email_idx"),
            # Batches find their customers by e-mail whatever its case (`customers.batch`).
            models.Index(Lower("email"), name="customer_email_lower_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.company})" if self.company else self.name

    @property
    def display_name(self) -> str:
        """The name pages show; an erased customer's placeholder in the reader's language."""
        if self.erased_at is not None:
            return str(_("Erased customer #%(number)s") % {"number": self.pk})
        return self.name


class Interaction(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="interactions"
    )
    employee = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="interactions",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    opened_at = models.DateTimeField(_("opened at"), validators=[validate_day_in_range])
    first_response_at = models.DateTimeField(
        _("first response at"), null=True, blank=True, validators=[validate_day_in_range]
    )
    resolved_at = models.DateTimeField(
        _("resolved at"), null=True, blank=True, validators=[validate_day_in_range]
    )
    # The working time to the first response under the working calendar of the employee's team
    # on the opening day; null without a calendar (or an answer). Written by the services
    # (customers.working_time), read by the engine in place of the wall-clock time.
    first_response_working_time = models.DurationField(
        _("working time to first response"), null=True, blank=True, editable=False
    )
    is_first_contact_resolution = models.BooleanField(_("resolved on first contact"), default=False)
    is_escalated = models.BooleanField(_("escalated"), default=False)
    follow_up_due = models.DateField(
        _("follow-up due"), null=True, blank=True, validators=[validate_future_day_in_range]
    )
    follow_up_done_at = models.DateTimeField(
        _("follow-up done at"), null=True, blank=True, validators=[validate_day_in_range]
    )
    is_flagged_for_review = models.BooleanField(_("flagged for QA review"), default=False)
    # Times a resolved interaction was pushed again unresolved (customers.services.REOPEN_RULE).
    reopen_count = models.PositiveIntegerField(_("times reopened"), default=0, db_default=0)
    source = models.CharField(_("source"), max_length=40, default=SOURCE_WEB)
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="uniq_interaction_source_external_id"
            ),
            models.CheckConstraint(
                condition=Q(first_response_at__isnull=True)
                | Q(first_response_at__gte=F("opened_at")),
                name="interaction_response_not_before_open",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("opened_at")),
                name="interaction_resolution_not_before_open",
            ),
            models.CheckConstraint(
                condition=Q(is_first_contact_resolution=False) | Q(resolved_at__isnull=False),
                name="interaction_fcr_requires_resolution",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_done_at__isnull=True) | Q(follow_up_due__isnull=False),
                name="interaction_follow_up_done_requires_due",
            ),
            # A time Python cannot read back (year 1 local is 1 BC) would break every page and
            # export that shows the row; the later times are bounded below by opened_at.
            models.CheckConstraint(
                condition=stored_in_range("opened_at"), name="interaction_opened_in_range"
            ),
            models.CheckConstraint(
                condition=stored_in_range("first_response_at", nullable=True),
                name="interaction_response_in_range",
            ),
            models.CheckConstraint(
                condition=stored_in_range("resolved_at", nullable=True),
                name="interaction_resolution_in_range",
            ),
            models.CheckConstraint(
                condition=stored_in_range("follow_up_done_at", nullable=True),
                name="interaction_follow_up_done_in_range",
            ),
            models.CheckConstraint(
                condition=stored_in_range("follow_up_due", is_date=True, nullable=True),
                name="interaction_follow_up_due_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "opened_at"], name="interaction_emp_opened_idx"),
            models.Index(fields=["employee", "resolved_at"], name="interaction_emp_resolved_idx"),
            models.Index(fields=["employee", "follow_up_due"], name="interaction_emp_followup_idx"),
            models.Index(fields=["customer", "opened_at"], name="interaction_cust_opened_idx"),
        ]

    def __str__(self):
        return f"{self.subject} ({self.get_channel_display()})"
