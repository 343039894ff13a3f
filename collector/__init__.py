"""Mutuparc collectors: SNMP and SSH inventory of network devices."""
