from __future__ import annotations

import datetime as dt

from agent import software

DPKG_STATUS = """Package: adduser
Status: install ok installed
Priority: important
Section: admin
Installed-Size: 686
Maintainer: Debian Adduser Developers <adduser@packages.debian.org>
Architecture: all
Version: 3.134
Description: add and remove users and groups
 This package includes the 'adduser' and 'deluser' commands.

Package: libreoffice-writer
Status: deinstall ok config-files
Architecture: amd64
Version: 4:7.4.7-1

Package: firefox-esr
Status: install ok installed
Section: web
Installed-Size: 240964
Architecture: amd64
Version: 128.5.0esr-1~deb12u1
Description: Mozilla Firefox web browser - Extended Support Release (ESR)
"""


def test_dpkg_status_keeps_installed_packages_only():
    packages = software.dpkg_status(DPKG_STATUS)
    records = software.dpkg_records(packages, publisher="Debian", installed_on={"adduser": dt.date(2025, 5, 20)})
    assert [(r["name"], r["version"], r["size_bytes"]) for r in records] == [
        ("adduser", "3.134", 686 * 1024),
        ("firefox-esr", "128.5.0esr-1~deb12u1", 240964 * 1024),
    ]
    assert records[0]["install_date"] == dt.date(2025, 5, 20) and records[1]["category"] == "web"


def test_rpm_output():
    output = (
        "bash\tx86_64\t5.2.26-3.fc40\t1714046400\t8411395\tFedora Project\tUnspecified\n"
        "gpg-pubkey\t(none)\t1\t0\t0\t(none)\t(none)\n"
    )
    (record,) = software.rpm_records(output)
    assert (record["name"], record["version"], record["publisher"]) == ("bash", "5.2.26-3.fc40", "Fedora Project")
    assert record["install_date"] == dt.date(2024, 4, 25)


def test_snap_and_flatpak_outputs():
    snaps = software.snap_records(
        "Name      Version   Rev    Tracking       Publisher   Notes\n"
        "firefox   133.0-2   5273   latest/stable  mozilla✓    -\n"
    )
    assert snaps == [{"name": "firefox", "version": "133.0-2", "publisher": "mozilla", "origin": "snap"}]
    flatpaks = software.flatpak_records("org.libreoffice.LibreOffice\t24.8.3.2\tflathub\n")
    assert flatpaks[0]["name"] == "org.libreoffice.LibreOffice" and flatpaks[0]["version"] == "24.8.3.2"


def test_windows_entries_deduplicated_and_filtered():
    entries = [
        (
            "x64",
            {"DisplayName": "Microsoft Update Health Tools", "DisplayVersion": "5.72.0.0", "Publisher": "Microsoft"},
        ),
        (
            "x86",
            {"DisplayName": "Microsoft Update Health Tools", "DisplayVersion": "5.72.0.0", "Publisher": "Microsoft"},
        ),
        ("user:marie", {"DisplayName": "Microsoft OneDrive", "DisplayVersion": "24.1", "Publisher": "Microsoft"}),
        ("user:paul", {"DisplayName": "Microsoft OneDrive", "DisplayVersion": "24.1", "Publisher": "Microsoft"}),
        ("user:paul", {"DisplayName": "Microsoft OneDrive", "DisplayVersion": "24.2", "Publisher": "Microsoft"}),
        ("x64", {"DisplayName": "Component", "SystemComponent": 1}),
        ("x64", {"DisplayName": "KB5044285", "ParentKeyName": "OperatingSystem"}),
        ("x64", {"DisplayName": "Update for X", "ReleaseType": "Update"}),
        ("x64", {"DisplayName": "   "}),
        ("x64", {"DisplayName": "7-Zip", "InstallDate": "20240611", "EstimatedSize": 5000, "_key": "{ABC}"}),
    ]
    records = software.windows_records(entries)
    assert [(r["name"], r["version"]) for r in records] == [
        ("Microsoft Update Health Tools", "5.72.0.0"),
        ("Microsoft OneDrive", "24.1"),
        ("Microsoft OneDrive", "24.2"),
        ("7-Zip", None),
    ]
    assert records[0]["arch"] == "x64" and records[1]["username"] == "marie"
    assert records[3]["install_date"] == dt.date(2024, 6, 11) and records[3]["guid"] == "{ABC}"
