"""Mutuparc: IT asset inventory for shared IT services of French local authorities."""

__version__ = "0.1.0"
