"""SNMP collection on pysnmp 7 (asyncio): sessions, device profiles applied to devices."""
