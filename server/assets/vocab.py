"""The domain's closed vocabularies: asset types, categories (seed 004), lifecycle statuses."""

from __future__ import annotations

from enum import StrEnum


class AssetType(StrEnum):
    WORKSTATION = "workstation"
    LAPTOP = "laptop"
    TABLET = "tablet"
    THIN_CLIENT = "thin_client"
    PRINTER = "printer"
    COPIER = "copier"
    PHONE = "phone"
    SWITCH = "switch"
    ROUTER = "router"
    FIREWALL = "firewall"
    WIFI_AP = "wifi_ap"
    UPS = "ups"
    NAS = "nas"
    SAN = "san"
    SERVER = "server"
    HYPERVISOR = "hypervisor"
    VM = "vm"
    CAMERA = "camera"
    OTHER = "other"


class Category(StrEnum):
    """Seed 004: normal (PCs, printers), complex (servers, active network, copiers, PABX),
    consumable (small peripherals: never inventoried or counted)."""

    NORMAL = "normal"
    COMPLEX = "complex"
    CONSUMABLE = "consumable"


COMPLEX_TYPES = frozenset(
    {
        AssetType.COPIER,
        AssetType.SWITCH,
        AssetType.ROUTER,
        AssetType.FIREWALL,
        AssetType.WIFI_AP,
        AssetType.UPS,
        AssetType.NAS,
        AssetType.SAN,
        AssetType.SERVER,
        AssetType.HYPERVISOR,
        AssetType.VM,
    }
)


def default_category(asset_type: str) -> Category:
    return Category.COMPLEX if asset_type in COMPLEX_TYPES else Category.NORMAL


class LifecycleStatus(StrEnum):
    ORDERED = "ordered"
    IN_STOCK = "in_stock"
    IN_SERVICE = "in_service"
    IN_REPAIR = "in_repair"
    RETIRED = "retired"
    REUSED = "reused"
    DONATED = "donated"
    RECYCLED = "recycled"


class AssetSource(StrEnum):
    AGENT = "agent"
    COLLECTOR = "collector"
    MANUAL = "manual"
    IMPORT = "import"


class DocumentKind(StrEnum):
    RECYCLING_CERTIFICATE = "recycling_certificate"
    INVOICE = "invoice"
    DELIVERY_NOTE = "delivery_note"
    DONATION_AGREEMENT = "donation_agreement"
    OTHER = "other"
