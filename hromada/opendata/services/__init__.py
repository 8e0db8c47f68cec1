"""The catalogue's writes (ADR 0009), re-exported for the other parts: the CKAN API,
the DataStore and the platform's datasets call these names."""

from ._common import can_admin_publisher, can_manage, can_publish_for, is_member
from .budget import budget_import
from .catalogue import (
    dataset_create,
    dataset_publish,
    dataset_update,
    dataset_withdraw,
    platform_refusal,
    resource_create,
    resource_download_count,
    resource_update,
    resource_upload_version,
    resource_withdraw,
)
from .platform import SyncReport, platform_publisher, platform_sync
from .publishers import (
    group_create,
    group_update,
    publisher_create,
    publisher_member_add,
    publisher_member_remove,
    publisher_update,
)
from .uploads import check_resource_upload

__all__ = [
    "budget_import",
    "can_admin_publisher",
    "can_manage",
    "can_publish_for",
    "check_resource_upload",
    "dataset_create",
    "dataset_publish",
    "dataset_update",
    "dataset_withdraw",
    "group_create",
    "group_update",
    "is_member",
    "platform_publisher",
    "platform_refusal",
    "platform_sync",
    "publisher_create",
    "publisher_member_add",
    "publisher_member_remove",
    "publisher_update",
    "resource_create",
    "resource_download_count",
    "resource_update",
    "resource_upload_version",
    "resource_withdraw",
    "SyncReport",
]
