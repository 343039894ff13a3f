"""French (default) and English labels for fields and vocabularies, used by exports and pages."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Any

LANGUAGES = ("fr", "en")

FIELD_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "id": "ID",
        "member": "Membre",
        "site": "Site",
        "asset_type": "Type",
        "category": "Catégorie",
        "lifecycle_status": "Statut",
        "name": "Nom",
        "manufacturer": "Fabricant",
        "model": "Modèle",
        "serial": "Numéro de série",
        "uuid": "UUID",
        "inventory_number": "Numéro d'inventaire",
        "os": "Système d'exploitation",
        "purchase_date": "Date d'achat",
        "commissioning_date": "Date de mise en service",
        "warranty_end": "Fin de garantie",
        "purchase_price": "Prix d'achat",
        "supplier": "Fournisseur",
        "source": "Source",
        "first_seen": "Première remontée",
        "last_seen": "Dernière remontée",
        "notes": "Remarques",
        "os_name": "Nom du système",
        "os_version": "Version du système",
    },
    "en": {
        "id": "ID",
        "member": "Member",
        "site": "Site",
        "asset_type": "Type",
        "category": "Category",
        "lifecycle_status": "Status",
        "name": "Name",
        "manufacturer": "Manufacturer",
        "model": "Model",
        "serial": "Serial number",
        "uuid": "UUID",
        "inventory_number": "Inventory number",
        "os": "Operating system",
        "purchase_date": "Purchase date",
        "commissioning_date": "Commissioning date",
        "warranty_end": "Warranty end",
        "purchase_price": "Purchase price",
        "supplier": "Supplier",
        "source": "Source",
        "first_seen": "First seen",
        "last_seen": "Last seen",
        "notes": "Notes",
        "os_name": "OS name",
        "os_version": "OS version",
    },
}

VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "fr": {
        "kind": {"commune": "Commune", "epci": "EPCI", "dsit": "Service commun (DSIT)", "other": "Autre"},
        "asset_type": {
            "workstation": "Poste fixe",
            "laptop": "Ordinateur portable",
            "tablet": "Tablette",
            "thin_client": "Client léger",
            "printer": "Imprimante",
            "copier": "Copieur",
            "phone": "Téléphone",
            "switch": "Commutateur",
            "router": "Routeur",
            "firewall": "Pare-feu",
            "wifi_ap": "Borne Wi-Fi",
            "ups": "Onduleur",
            "nas": "NAS",
            "san": "Baie de stockage",
            "server": "Serveur",
            "hypervisor": "Hyperviseur",
            "vm": "Machine virtuelle",
            "camera": "Caméra",
            "other": "Autre",
            "ups_battery": "Batterie d'onduleur",
        },
        "category": {"normal": "Normal", "complex": "Complexe", "consumable": "Consommable"},
        "lifecycle_status": {
            "ordered": "Commandé",
            "in_stock": "En stock",
            "in_service": "En service",
            "in_repair": "En réparation",
            "retired": "Retiré",
            "reused": "Réemployé",
            "donated": "Donné",
            "recycled": "Recyclé",
        },
        "source": {"agent": "Agent", "collector": "Collecteur", "manual": "Saisie manuelle", "import": "Import"},
        # printers' and copiers' counters (server.printing) and their supplies
        "printer_counter": {
            "total": "Total",
            "black": "Noir",
            "color": "Couleur",
            "duplex": "Recto-verso (duplex)",
            "recto_verso": "Recto-verso",
            "scanned": "Numérisations",
            "print_total": "Impressions",
            "print_black": "Impressions noir",
            "print_color": "Impressions couleur",
            "copy_total": "Copies",
            "copy_black": "Copies noir",
            "copy_color": "Copies couleur",
            "copy_black_a3": "Copies noir A3",
            "copy_color_a3": "Copies couleur A3",
            "fax_total": "Fax",
        },
        "supply_kind": {
            "toner": "Toner",
            "ink": "Encre",
            "drum": "Tambour",
            "waste": "Récupérateur de toner usagé",
            "fuser": "Unité de fusion",
            "transfer": "Unité de transfert",
            "maintenance": "Kit de maintenance",
            "other": "Autre",
        },
    },
    "en": {
        "kind": {"commune": "Municipality", "epci": "EPCI", "dsit": "Shared service (DSIT)", "other": "Other"},
        "asset_type": {
            "workstation": "Workstation",
            "laptop": "Laptop",
            "tablet": "Tablet",
            "thin_client": "Thin client",
            "printer": "Printer",
            "copier": "Copier",
            "phone": "Phone",
            "switch": "Switch",
            "router": "Router",
            "firewall": "Firewall",
            "wifi_ap": "Wi-Fi access point",
            "ups": "UPS",
            "nas": "NAS",
            "san": "SAN",
            "server": "Server",
            "hypervisor": "Hypervisor",
            "vm": "Virtual machine",
            "camera": "Camera",
            "other": "Other",
            "ups_battery": "UPS battery",
        },
        "category": {"normal": "Normal", "complex": "Complex", "consumable": "Consumable"},
        "lifecycle_status": {
            "ordered": "Ordered",
            "in_stock": "In stock",
            "in_service": "In service",
            "in_repair": "In repair",
            "retired": "Retired",
            "reused": "Reused",
            "donated": "Donated",
            "recycled": "Recycled",
        },
        "source": {"agent": "Agent", "collector": "Collector", "manual": "Manual", "import": "Import"},
        "printer_counter": {
            "total": "Total",
            "black": "Black",
            "color": "Colour",
            "duplex": "Duplex",
            "recto_verso": "Two-sided",
            "scanned": "Scans",
            "print_total": "Prints",
            "print_black": "Black prints",
            "print_color": "Colour prints",
            "copy_total": "Copies",
            "copy_black": "Black copies",
            "copy_color": "Colour copies",
            "copy_black_a3": "Black A3 copies",
            "copy_color_a3": "Colour A3 copies",
            "fax_total": "Faxes",
        },
        "supply_kind": {
            "toner": "Toner",
            "ink": "Ink",
            "drum": "Drum",
            "waste": "Waste toner box",
            "fuser": "Fuser",
            "transfer": "Transfer unit",
            "maintenance": "Maintenance kit",
            "other": "Other",
        },
    },
}


def fold(label: str) -> str:
    """Lower-case, without accents or punctuation: how headers and labels are compared on import."""
    decomposed = unicodedata.normalize("NFKD", label)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def field_label(field: str, lang: str) -> str:
    return FIELD_LABELS.get(lang, FIELD_LABELS["fr"]).get(field, field)


def value_label(field: str, value: Any, lang: str) -> str:
    return VALUE_LABELS.get(lang, VALUE_LABELS["fr"]).get(field, {}).get(str(value), str(value))


def field_for_header(header: str) -> str | None:
    """The field a CSV header names, in either language or as the field's own name."""
    wanted = fold(header)
    for labels in FIELD_LABELS.values():
        for field, label in labels.items():
            if wanted in (fold(label), fold(field)):
                return field
    return None


def value_for_label(field: str, label: str) -> str | None:
    """A vocabulary value from its code or its label in either language."""
    wanted = fold(label)
    for labels in VALUE_LABELS.values():
        for value, text in labels.get(field, {}).items():
            if wanted in (fold(text), fold(value)):
                return value
    return None


def format_value(value: Any, lang: str) -> str:
    """A cell value as people of ``lang`` write it (French: 1 234,50 and 23/11/2026)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()
    if isinstance(value, Decimal | float):
        text = f"{value:.2f}"
        return text.replace(".", ",") if lang == "fr" else text
    return str(value)


def format_amount(value: Decimal | float | int, lang: str) -> str:
    """An amount to read (not to re-import): 143 371,95 in French, 143,371.95 in English."""
    text = f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text
