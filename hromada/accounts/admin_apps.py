"""Django's admin, scoped to the install administrator (INSTALLED_APPS names this config
instead of "django.contrib.admin"). Kept apart from admin_site.py: an app config is
imported before the models are ready, the site's login form needs them."""

from django.contrib.admin.apps import AdminConfig


class InstallAdminConfig(AdminConfig):
    default_site = "hromada.accounts.admin_site.InstallAdminSite"
