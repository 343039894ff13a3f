"""Inventory over SSH, in the NAPALM spirit: one set of getters, one driver per platform.

Drivers only read: each declares the commands it may send (an allow-list checked before anything
reaches the device). Outputs are parsed with TextFSM templates, ntc-templates' where they exist,
ours in ``device_profiles/ssh/templates`` otherwise.
"""
