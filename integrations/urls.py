from django.urls import path

from integrations import webhooks

app_name = "integrations"

urlpatterns = [
    path(
        "integrations/chatwoot/<uuid:connection_uuid>/<str:secret>/",
        webhooks.chatwoot_webhook,
        name="chatwoot_webhook",
    ),
]
