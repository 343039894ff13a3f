"""Every table of the server, imported in one place for Alembic and ``create_all``."""

from server.accounts.models import ApiToken, AuthFailure, EnrolmentToken, UserAccount
from server.allocation.models import (
    AllocationKey,
    ClosureEvent,
    CostPool,
    FrozenValue,
    ImportedValue,
    KeySnapshot,
    StorageMapping,
    YearClosure,
)
from server.assets.components import COMPONENT_TABLES
from server.assets.metrics import AssetMetric
from server.assets.models import (
    Asset,
    AssetChange,
    AssetDocument,
    AssetMerge,
    AssetStatusChange,
    InventorySource,
    SourceSection,
)
from server.audit.models import AuditEvent
from server.collectors.models import CollectorRun, DiscoveredDevice, SnmpCredential
from server.conflicts.models import AssetConflict
from server.printing.models import CounterReading, SupplyReading
from server.renewal.cache import AssessmentVersion
from server.renewal.models import (
    EolCatalogue,
    EolOverride,
    ModelSupport,
    PlanDecision,
    RenewalPlan,
    RenewalPolicy,
    UnitPrice,
)
from server.tenancy.models import Location, Member, Site

__all__ = [
    "COMPONENT_TABLES",
    "AllocationKey",
    "ApiToken",
    "AssessmentVersion",
    "Asset",
    "AssetChange",
    "AssetConflict",
    "AssetDocument",
    "AssetMerge",
    "AssetMetric",
    "AssetStatusChange",
    "AuditEvent",
    "AuthFailure",
    "ClosureEvent",
    "CollectorRun",
    "CostPool",
    "CounterReading",
    "DiscoveredDevice",
    "EnrolmentToken",
    "EolCatalogue",
    "EolOverride",
    "FrozenValue",
    "ImportedValue",
    "InventorySource",
    "KeySnapshot",
    "Location",
    "Member",
    "ModelSupport",
    "PlanDecision",
    "RenewalPlan",
    "RenewalPolicy",
    "Site",
    "SnmpCredential",
    "SourceSection",
    "StorageMapping",
    "SupplyReading",
    "UnitPrice",
    "UserAccount",
    "YearClosure",
]
