"""Prometheus metrics of the server: its own counters and what the database says at scrape time."""
