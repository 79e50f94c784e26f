from django.urls import path

from integrations import views, webhooks
from integrations.zendesk import views as zendesk_views

app_name = "integrations"

urlpatterns = [
    path(
        "integrations/chatwoot/<uuid:connection_uuid>/<str:secret>/",
        webhooks.chatwoot_webhook,
        name="chatwoot_webhook",
    ),
    path("integrations/", views.connection_list_view, name="connection_list"),
    path("integrations/add/", views.connection_add_view, name="connection_add"),
    path("integrations/<int:pk>/", views.connection_detail_view, name="connection_detail"),
    path(
        "integrations/<int:pk>/events/<int:event_pk>/",
        views.event_detail_view,
        name="event_detail",
    ),
    path("integrations/<int:pk>/pause/", views.connection_pause_view, name="connection_pause"),
    path(
        "integrations/<int:pk>/reprocess/",
        views.connection_reprocess_view,
        name="connection_reprocess",
    ),
    path(
        "integrations/zendesk/add/",
        zendesk_views.zendesk_connection_add_view,
        name="zendesk_add",
    ),
    path(
        "integrations/<int:pk>/zendesk/",
        zendesk_views.zendesk_settings_view,
        name="zendesk_settings",
    ),
    path("integrations/agents/", views.agent_queue_view, name="agent_queue"),
    path("integrations/agents/<int:agent_pk>/map/", views.agent_map_view, name="agent_map"),
]
