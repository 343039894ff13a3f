"""A printer's or copier's page: its counters now, pages per month (table and chart), resets,
supply levels. The chart is SVG drawn here; when scripts run, ``static/charts.js`` redraws it with
Apache ECharts from the same figures (the template's data block)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from server.api.deps import SessionDep, SettingsDep
from server.assets import crud as assets_crud
from server.audit.requests import capture_body
from server.printing import service
from server.printing.recording import COUNTERS, PAGES
from server.tenancy.models import Member

from .auth import PagePrincipal, PageScope
from .csrf import csrf_protect
from .pages import language, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(capture_body), Depends(csrf_protect)])
Months = Annotated[int, Query(ge=1, le=60, description="months shown, this one included")]
CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_BOTTOM = 640, 220, 56, 24


@dataclass(frozen=True, slots=True)
class Column:
    label: str  # MM/YY
    title: str  # what the bar's tooltip says
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Chart:
    columns: list[Column]
    ticks: list[tuple[float, int]]  # (y, value) of the horizontal grid lines
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = CHART_LEFT
    base: int = CHART_HEIGHT - CHART_BOTTOM


def _nice(biggest: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten at or above ``biggest``."""
    step = 1
    while step * 10 <= biggest:
        step *= 10
    return next(m * step for m in (1, 2, 5, 10) if m * step >= biggest)


def page_count(lang: str) -> Callable[[int | None], str]:
    """Pages as people of ``lang`` write them: 12 345 in French, 12,345 in English."""

    def write(value: int | None) -> str:
        if value is None:
            return "—"
        return f"{value:,}".replace(",", "\u202f") if lang == "fr" else f"{value:,}"

    return write


def monthly_chart(monthly: list[service.Month], number: Callable[[int | None], str]) -> Chart:
    """Vertical bars of the pages printed each month."""
    # At least 10 so that the grid lines are distinct whole numbers of pages (0, 2, 4... not 0, 0, 1).
    top = _nice(max(max((m.pages for m in monthly), default=0), 10))
    intervals = 4 if str(top).startswith("2") else 5
    base, area = CHART_HEIGHT - CHART_BOTTOM, CHART_HEIGHT - CHART_BOTTOM - 12
    slot = (CHART_WIDTH - CHART_LEFT - 8) / max(len(monthly), 1)
    columns = []
    for index, month in enumerate(monthly):
        height = month.pages / top * area
        year, number_of_month = month.month.split("-")
        columns.append(Column(label=f"{number_of_month}/{year[2:]}", title=f"{month.month} : {number(month.pages)}",
                              x=round(CHART_LEFT + index * slot + slot * 0.15, 1), y=round(base - height, 1),
                              width=round(slot * 0.7, 1), height=round(height, 1)))  # fmt: skip
    ticks = [(round(base - area * i / intervals, 1), top * i // intervals) for i in range(intervals + 1)]
    return Chart(columns, ticks)


@router.get("/assets/{asset_id}/counters")
def printer_counters_page(asset_id: int, request: Request, session: SessionDep, settings: SettingsDep,
                          principal: PagePrincipal, scope: PageScope, months: Months = service.DEFAULT_MONTHS,
                          ) -> HTMLResponse:  # fmt: skip
    asset = assets_crud.get_asset(session=session, scope=scope, asset_id=asset_id)  # 404 beyond the scope
    until = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    found = service.asset_counters(session, asset_id, service.month_start(until, months - 1), until, limit=1)
    shown = [c for c in COUNTERS if any(c in m.counters for m in found.monthly)]
    if PAGES not in shown:
        shown.insert(0, PAGES)
    member = session.get(Member, asset.member_id) if asset.member_id else None
    pages = page_count(language(request, settings))
    return render(request, settings, "printer_counters.html", principal, asset=asset, member=member, found=found,
                  shown=shown, months=months, chart=monthly_chart(found.monthly, pages), pages=pages,
                  monthly=list(reversed(found.monthly)))  # fmt: skip
