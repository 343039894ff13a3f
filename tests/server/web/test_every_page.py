"""Every page in Chromium, in French and English, at 1280 and 800 px: no raw key on screen, no
page wider than the window, chart text inside its chart and readable, axe-core's serious and
critical rules met, errors as pages; then the charts under the pages' own CSP: redrawn by ECharts,
text inside, tooltips inside, the SVG fallback without scripts. One server and one browser for it
all; screenshots of every page go to ``var/screenshots/``."""

from __future__ import annotations

import re

import pytest

from server.core import catalogue
from tests.conftest import need
from tests.server.web.test_browser import CHROMIUM, PASSWORD, SCREENSHOTS, sign_in
from tests.server.web.test_device_pictures import poll as poll_devices
from tests.support.snmp_agents import snmpsim_command
from tests.utils import PROJECT, example, make_enrolment_token, make_member, make_user, post_inventory, variant

AXE = PROJECT / "vendor" / "axe-core" / "axe.min.js"
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # chassis_type, speed_bps: a key, not a word
# English section names a French page must not show (those spelled the same in both excepted).
ENGLISH_SECTIONS = {en for fr, en in catalogue.pairs("inventory.sections").values() if fr != en}

# The page's visible text, less code, inputs, hidden helpers (titles of <svg> are tooltips) and
# what the inventories reported as is (``translate="no"``: kernel modules, VM names are data).
VISIBLE_TEXT = """() => {
  const skip = new Set(["CODE", "PRE", "SCRIPT", "STYLE", "TITLE", "OPTION"]);
  const out = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
    if (node.nodeType !== Node.ELEMENT_NODE || skip.has(node.tagName)) return;
    if (node.classList.contains("visually-hidden") || node.getAttribute("translate") === "no") return;
    for (const child of node.childNodes) walk(child);
  };
  walk(document.body);
  return out.join(" ");
}"""
# Chart texts beyond their drawing, or drawn smaller than 11 px.
CHART_PROBLEMS = """() => {
  const problems = [];
  for (const svg of document.querySelectorAll("figure.chart svg")) {
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll("text")) {
      const r = text.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        problems.push("clipped: " + text.textContent);
      const size = parseFloat(getComputedStyle(text).fontSize) * box.width / svg.viewBox.baseVal.width;
      if (size < 11) problems.push("small (" + size.toFixed(1) + " px): " + text.textContent);
    }
  }
  return problems;
}"""
# The outermost element wider than the window (to say what to fix).
WIDEST = """() => {
  for (const el of document.querySelectorAll("main *"))
    if (el.getBoundingClientRect().right > window.innerWidth + 1) return el.tagName + "." + el.className + "#" + el.id;
  return "";
}"""
AXE_SERIOUS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => v.id + ": " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


@pytest.fixture
def browser_parc(request, db, client, engine):  # type: ignore[no-untyped-def]
    """Two communes: PCs, a switch with its ports, a printer; an admin. On SQLite only: what a
    browser sees does not depend on the database, and the pages' HTTP tests run on both."""
    need(CHROMIUM.exists(), "Debian chromium is not installed")
    if not db.url.startswith("sqlite"):
        pytest.skip("the browser crawl runs once, on SQLite")
    live_server = request.getfixturevalue("live_server")
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    make_user(engine, "dsit", role="admin", password=PASSWORD)
    servon_token, chevry_token = make_enrolment_token(engine, servon), make_enrolment_token(engine, chevry)
    pc = variant(example("computer_1"), deviceid="PC-COMPTA-2024", hardware__name="PC-COMPTA", bios__ssn="S-0001")
    for inventory, token in ((pc, servon_token), (example("networkequipment_1"), servon_token),
                             (example("printer_1"), chevry_token), (example("computer_2"), chevry_token)):  # fmt: skip
        assert post_inventory(client, inventory, token=token).status_code == 200
    if snmpsim_command() is not None:  # a UPS and a NAS as the collector reads them (the switch and printer: GLPI)
        collector = make_enrolment_token(engine, servon, kind="collector")
        for inventory in poll_devices(("apc_powernet", "synology_dsm")).values():
            assert post_inventory(client, inventory, token=collector).status_code == 200
    admin = make_user(engine, "api", role="admin")
    assets = client.get("/api/v1/assets", headers=admin).json()["data"]
    ids = [a["id"] for a in assets]
    return {"url": live_server.url, "ids": ids, "servon": servon, "types": {a["id"]: a["asset_type"] for a in assets}}


def test_every_page_reads_well_in_both_languages(browser_parc) -> None:  # type: ignore[no-untyped-def]
    playwright_api = pytest.importorskip("playwright.sync_api")
    url, ids = browser_parc["url"], browser_parc["ids"]
    paths = ["/", "/assets", *(f"/assets/{i}" for i in ids), "/renewal", "/allocation", "/members",
             f"/members/{browser_parc['servon']}/edit", "/collectors", "/conflicts", "/audit", "/account",
             "/users", "/merges", f"/assets/{ids[0]}/edit", "/collectors/credentials", "/nope",
             "/allocation/keys/workstations", "/allocation/import", "/allocation/pools/new", "/allocation/storage",
             "/renewal/settings", "/renewal/plans",
             *(f"/assets/{i}/counters" for i in ids if browser_parc["types"][i] in ("printer", "copier"))]  # fmt: skip
    problems: list[str] = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        # CSP bypassed for axe only (the pages' own script, charts.js, runs under the policy in check_charts).
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page = context.new_page()
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status == 404 and "/nope" not in r.url
                and "/allocation/keys" not in r.url else None)  # fmt: skip
        sign_in(page, url, "dsit")
        for lang in ("fr", "en"):
            page.goto(f"{url}/lang/{lang}?next=/")
            for path in paths:
                answer = page.goto(f"{url}{path}")
                assert answer is not None and answer.status < 500, path
                where = f"{lang} {path}"
                page.wait_for_function(CHARTS_DONE, timeout=10_000)  # charts redrawn by ECharts
                if path in ("/nope", "/allocation/keys/workstations"):  # errors: pages with a way back
                    assert answer.status in (404, 422) and page.locator("#error a[href='/']").count() == 1, where
                title = page.title()  # a page's title is its name, not markup spilt from a block
                if "<" in title or len(title) > 120:
                    problems.append(f"{where}: title {title[:80]!r}…")
                text = page.evaluate(VISIBLE_TEXT)
                problems += [f"{where}: raw key {word!r}" for word in sorted(set(SNAKE.findall(text)))]
                if lang == "fr":
                    headings = {h.strip() for h in page.locator("main h2, main summary").all_inner_texts()}
                    problems += [f"{where}: English section {h!r}" for h in headings
                                 if re.sub(r"\s*\(\d+\)$", "", h) in ENGLISH_SECTIONS]  # fmt: skip
                problems += [f"{where}: chart {p}" for p in page.evaluate(CHART_PROBLEMS)]
                page.add_script_tag(path=str(AXE))
                problems += [f"{where}: axe {v}" for v in page.evaluate(AXE_SERIOUS)]
                for width in (1280, 800):
                    page.set_viewport_size({"width": width, "height": 900})
                    if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
                        wide = page.evaluate(WIDEST)
                        problems.append(f"{where}: wider than the window at {width} px ({wide})")
                    name = re.sub(r"[^a-z0-9]+", "-", path.strip("/")) or "dashboard"
                    if width == 1280:
                        page.screenshot(path=str(SCREENSHOTS / f"page-{name}-{lang}.png"), full_page=True)
                page.set_viewport_size({"width": 1280, "height": 900})
        check_charts(chromium, browser_parc)
        chromium.close()
    assert not missing, missing  # no favicon or stylesheet answered 404
    assert not problems, "\n".join(problems)


# Each chart the page drew (its data block), redrawn by ECharts: the figure marked, an SVG inside.
CHARTS = """() => Array.from(document.querySelectorAll("figure.chart[data-chart]"))
  .filter(f => JSON.parse(f.querySelector("script.chart-data").textContent).labels.length)
  .map(f => ({enhanced: f.classList.contains("enhanced"), svg: !!f.querySelector(".echart svg"),
              fallback: getComputedStyle(f.querySelector(".chart-fallback")).display,
              title: f.querySelector("figcaption").textContent}))"""
FIRST_BAR = """() => { const svg = document.querySelector("figure.chart.enhanced .echart svg");
  const bars = Array.from(svg.querySelectorAll("path")).map(p => p.getBoundingClientRect())
    .filter(r => r.width > 3 && r.height > 3 && r.height < 60);
  const r = bars[0]; return r ? {x: r.left + Math.min(r.width / 2, 8), y: r.top + r.height / 2} : null; }"""
CHARTS_DONE = "() => !document.querySelector('figure.chart[data-chart]') || !!document.documentElement.dataset.charts"


def check_charts(chromium, browser_parc) -> None:  # type: ignore[no-untyped-def]
    """With the pages' own Content-Security-Policy (script-src 'self', no bypass): ECharts (served
    from /static) redraws every chart as SVG, labels inside their box and 11 px or more, a tooltip
    on hover inside the chart; with scripts off, the drawn SVG stays."""
    url, ids = browser_parc["url"], browser_parc["ids"]
    printers = [i for i in ids if browser_parc["types"][i] in ("printer", "copier")]
    paths = ["/", "/renewal", *(f"/assets/{i}/counters" for i in printers)]
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, url, "dsit")
    drawn = 0
    for path in paths:
        page.goto(f"{url}{path}")
        page.wait_for_function(CHARTS_DONE, timeout=10_000)
        assert page.evaluate("document.documentElement.dataset.charts || 'none'") in ("ready", "none"), path
        charts = page.evaluate(CHARTS)
        assert charts, path
        for chart in charts:
            assert chart["enhanced"] and chart["svg"] and chart["fallback"] == "none", (path, chart)
        drawn += len(charts)
        assert not page.evaluate(CHART_PROBLEMS), (path, page.evaluate(CHART_PROBLEMS))
        # a tooltip on hover, inside the chart, saying the label and its value: over the first
        # bar drawn, else (every month at 0 pages) over the middle of the chart's axis
        box = page.locator("figure.chart.enhanced .echart").first
        box.scroll_into_view_if_needed()
        shape = box.bounding_box()
        assert shape is not None
        target = page.evaluate(FIRST_BAR) or {"x": shape["x"] + shape["width"] / 2,
                                              "y": shape["y"] + shape["height"] / 2}  # fmt: skip
        page.mouse.move(target["x"], target["y"])
        tip = box.locator("div").filter(has_text=" : ").last
        tip.wait_for(state="visible", timeout=5_000)
        tip_box = tip.bounding_box()
        assert tip_box is not None and tip_box["x"] >= shape["x"] - 1, path
        assert tip_box["x"] + tip_box["width"] <= shape["x"] + shape["width"] + 1, path
        page.screenshot(path=str(SCREENSHOTS / f"chart-{path.strip('/').replace('/', '-') or 'dashboard'}.png"),
                        full_page=True)  # fmt: skip
    assert drawn >= 6 and not errors, errors
    # scripts off: the page's own SVG and table
    quiet = chromium.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    still = quiet.new_page()
    sign_in(still, url, "dsit")
    still.goto(f"{url}/renewal")
    assert still.locator("figure.chart .chart-fallback svg").first.is_visible()
    assert still.locator("figure.chart .echart").count() == 0
    context.close()
    quiet.close()
