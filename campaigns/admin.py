from django.contrib import admin

from campaigns.models import Campaign
from marketing.tenant_admin import TenantAdmin


@admin.register(Campaign)
class CampaignAdmin(TenantAdmin):
    list_display = ["name", "business", "goal", "starts_on", "ends_on", "status"]
    list_filter = ["status", "goal", "business__organization"]
    search_fields = ["name", "business__name", "offer"]
    date_hierarchy = "starts_on"
    list_select_related = ["business"]
