"""Staff pages of the setup part (/staff/appeals/…): configuration and moderation."""

from django.urls import path

from . import staff_views_setup as v

urlpatterns: list = [
    path("setup/", v.setup, name="setup"),
    path("setup/categories/", v.categories, name="setup_categories"),
    path("setup/categories/new/", v.category_form, name="setup_category_new"),
    path("setup/categories/<uuid:public_id>/", v.category_form, name="setup_category"),
    path("setup/categories/<uuid:public_id>/active/", v.category_active, name="setup_category_active"),
    path("setup/categories/<uuid:public_id>/attributes/", v.attributes, name="setup_attributes"),
    path("setup/categories/<uuid:public_id>/attributes/<int:pk>/", v.attributes, name="setup_attribute"),
    path(
        "setup/categories/<uuid:public_id>/attributes/<int:pk>/delete/",
        v.attribute_delete,
        name="setup_attribute_delete",
    ),
    path("setup/departments/", v.departments, name="setup_departments"),
    path("setup/departments/new/", v.department_form, name="setup_department_new"),
    path("setup/departments/<uuid:public_id>/", v.department_form, name="setup_department"),
    path("setup/departments/<uuid:public_id>/active/", v.department_active, name="setup_department_active"),
    path("setup/templates/", v.templates, name="setup_templates"),
    path("setup/templates/new/", v.template_form, name="setup_template_new"),
    path("setup/templates/<int:pk>/", v.template_form, name="setup_template"),
    path("setup/templates/<int:pk>/delete/", v.template_delete, name="setup_template_delete"),
    path("setup/keys/", v.keys, name="setup_keys"),
    path("setup/keys/<int:pk>/revoke/", v.key_revoke, name="setup_key_revoke"),
    path("moderation/", v.moderation, name="moderation"),
    path("moderation/<uuid:public_id>/", v.moderation_case, name="moderation_case"),
    path("moderation/<uuid:public_id>/text/", v.moderation_text, name="moderation_text"),
    path("moderation/<uuid:public_id>/redact/", v.moderation_redact, name="moderation_redact"),
    path("moderation/<uuid:public_id>/photos/<int:pk>/", v.moderation_photo, name="moderation_photo"),
    path(
        "moderation/<uuid:public_id>/photos/<int:pk>/decide/",
        v.moderation_photo_decide,
        name="moderation_photo_decide",
    ),
]
