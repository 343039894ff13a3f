"""macOS peripherals and battery: monitors, video cards, printers, USB devices, battery health.

- monitors (``SPDisplaysDataType``, each GPU's ``spdisplays_ndrvs``): name, maker from the EDID
  vendor id (0x0610 -> APP), the display's own serial when it has one
  (``spdisplays_display-serial-number``) else its EDID serial number as 8 hex digits, and the week
  and year of manufacture, as GLPI Agent words monitors (see ``_windows_edid``);
- videos: one per GPU (name, chipset, VRAM in MB, the first display's resolution);
- printers (``SPPrintersDataType``): name, PPD as driver, URI as port, status, shared; network when
  the URI is not a local (usb://) one;
- usbdevices (``SPUSBDataType``, walked through hubs): vendor/product ids, serial, name, maker;
- batteries: ``system_profiler`` names the battery; ``ioreg`` (AppleSmartBattery) gives its design
  and present full-charge capacities in mAh. The wire wants mWh: they are converted with the pack's
  nominal voltage, its cell count (``BatteryData.CellVoltage``) times 3.82 V (Apple rates its 3-cell
  packs 11.4 to 11.5 V). The ratio of the two, the battery's health, does not depend on that figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ._macos_base import MacSources, Record, data, document, hex_id, output, plist, size_bytes
from ._windows_edid import manufacture_date, pnp_code, vendor_name

CELL_VOLTAGE_MV = 3820
_LOCAL_URIS = ("usb:", "file:", "serial:", "parallel:")


# -- displays -----------------------------------------------------------------------------------


def _displays(src: MacSources) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for gpu in data(src, "SPDisplaysDataType"):
        for display in gpu.get("spdisplays_ndrvs") or []:
            yield gpu, display


def _number(raw: Any) -> int | None:
    return int(raw) if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit()) else None


def monitors(src: MacSources) -> list[Record]:
    records = []
    for _, display in _displays(src):
        name = display.get("_name")
        if not name:
            continue
        vendor = hex_id(display.get("_spdisplays_display-vendor-id"))
        numeric = str(display.get("_spdisplays_display-serial-number") or "").strip()
        serial = str(display.get("spdisplays_display-serial-number") or "").strip() or (
            numeric.zfill(8) if numeric and numeric.strip("0") else None
        )
        records.append(
            {
                "name": name,
                "caption": name,
                "manufacturer": vendor_name(pnp_code(int(vendor, 16))) if vendor else None,
                "serial": serial,
                "description": manufacture_date(
                    _number(display.get("_spdisplays_display-week")), _number(display.get("_spdisplays_display-year"))
                ),
                "type": "built-in" if display.get("spdisplays_connection_type") == "spdisplays_internal" else None,
            }
        )
    return records


def videos(src: MacSources) -> list[Record]:
    records = []
    for gpu in data(src, "SPDisplaysDataType"):
        vram = size_bytes(gpu.get("spdisplays_vram") or gpu.get("spdisplays_vram_shared"))
        screens = gpu.get("spdisplays_ndrvs") or []
        pixels = re.match(r"(\d+)\s*x\s*(\d+)", str(screens[0].get("_spdisplays_pixels") or "")) if screens else None
        records.append(
            document(
                name=gpu.get("_name") or gpu.get("sppci_model"),
                chipset=gpu.get("sppci_model"),
                memory=vram // 2**20 if vram else None,
                resolution=f"{pixels.group(1)}x{pixels.group(2)}" if pixels else None,
            )
        )
    return records


# -- printers and USB -----------------------------------------------------------------------------


def printers(src: MacSources) -> list[Record]:
    records = []
    for printer in data(src, "SPPrintersDataType"):
        name = printer.get("_name")
        if not name or name == "no_info_found":
            continue
        uri = printer.get("uri")
        records.append(
            {
                "name": name,
                "driver": printer.get("ppd"),
                "port": uri,
                "network": bool(uri) and not str(uri).lower().startswith(_LOCAL_URIS),
                "shared": printer.get("shared") == "yes",
                "status": printer.get("status"),
            }
        )
    return records


def _usb_items(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from _usb_items(item.get("_items") or [])


def usbdevices(src: MacSources) -> list[Record]:
    records, seen = [], set()
    for item in _usb_items(data(src, "SPUSBDataType")):
        vendor, product = hex_id(item.get("vendor_id")), hex_id(item.get("product_id"))
        if not vendor or not product or not vendor.strip("0"):  # buses and their root hubs
            continue
        serial = item.get("serial_num")
        if serial and serial in seen:
            continue
        seen.add(serial)
        records.append(
            document(
                name=item.get("_name"),
                manufacturer=item.get("manufacturer"),
                vendorid=vendor,
                productid=product,
                serial=serial,
            )
        )
    return records


# -- battery ----------------------------------------------------------------------------------


def _mwh(mah: Any, cells: int | None) -> int | None:
    return round(mah * cells * CELL_VOLTAGE_MV / 1000) if isinstance(mah, int) and mah > 0 and cells else None


def batteries(src: MacSources) -> list[Record]:
    gauges = plist(output(src, "battery"))
    gauge = gauges[0] if isinstance(gauges, list) and gauges and isinstance(gauges[0], dict) else {}
    cells = len((gauge.get("BatteryData") or {}).get("CellVoltage") or []) or None
    records = []
    for row in data(src, "SPPowerDataType"):
        model = row.get("sppower_battery_model_info")
        if not model:
            continue
        records.append(
            {
                "name": model.get("sppower_battery_device_name") or gauge.get("DeviceName"),
                "manufacturer": model.get("sppower_battery_manufacturer"),
                "serial": model.get("sppower_battery_serial_number") or gauge.get("Serial"),
                "chemistry": "Lithium-ion",
                "capacity_mwh": _mwh(gauge.get("DesignCapacity"), cells),
                "real_capacity_mwh": _mwh(
                    gauge.get("NominalChargeCapacity") or gauge.get("AppleRawMaxCapacity"), cells
                ),
                "voltage_mv": gauge.get("Voltage") if isinstance(gauge.get("Voltage"), int) else None,
            }
        )
    return records
