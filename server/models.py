"""Every table of the server, imported in one place for Alembic and ``create_all``."""

from server.accounts.models import ApiToken, EnrolmentToken, UserAccount
from server.assets.components import COMPONENT_TABLES
from server.assets.metrics import AssetMetric
from server.assets.models import (
    Asset,
    AssetChange,
    AssetDocument,
    AssetMerge,
    AssetStatusChange,
    InventorySource,
)
from server.collectors.models import CollectorRun, DiscoveredDevice, SnmpCredential
from server.tenancy.models import Location, Member, Site

__all__ = [
    "COMPONENT_TABLES",
    "ApiToken",
    "Asset",
    "AssetChange",
    "AssetDocument",
    "AssetMerge",
    "AssetMetric",
    "AssetStatusChange",
    "CollectorRun",
    "DiscoveredDevice",
    "EnrolmentToken",
    "InventorySource",
    "Location",
    "Member",
    "Site",
    "SnmpCredential",
    "UserAccount",
]
