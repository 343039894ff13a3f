"""The monthly pages chart: grid lines are distinct whole numbers, bars scale to the busiest month."""

from __future__ import annotations

import pytest

from server.printing.service import Month
from server.web.printer_pages import monthly_chart, page_count


@pytest.mark.parametrize("busiest", [0, 3, 17, 368, 2000, 45_000])
def test_grid_lines_are_distinct_whole_numbers(busiest: int) -> None:
    months = [Month(f"2026-{m:02d}", busiest if m == 6 else busiest // 3) for m in range(1, 13)]
    chart = monthly_chart(months, page_count("fr"))
    values = [value for _, value in chart.ticks]
    assert values == sorted(set(values)) and values[0] == 0 and values[-1] >= busiest
    assert len(values) in (5, 6)
    june = chart.columns[5]
    assert june.height == max(c.height for c in chart.columns)
    assert (june.height > 0) == (busiest > 0)
