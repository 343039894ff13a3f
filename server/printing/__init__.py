"""Printers and copiers: page counters and supply levels kept as time series, pages per month,
and the "pages printed" allocation key."""
