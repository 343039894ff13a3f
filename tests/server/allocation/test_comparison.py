"""Comparing a hand-made table: a missing row, an extra row and a misspelled member are each
reported as such, beside the cells that differ."""

from __future__ import annotations

from tests.server.allocation.test_seed_figures import DATA, seed004  # noqa: F401


def test_missing_extra_and_unknown_rows_are_reported(client, seed004) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    admin = seed004[1]
    lines = (DATA / "seed004_table_2022.csv").read_text(encoding="utf-8-sig").splitlines()
    dropped = next(line for line in lines if line.startswith("part;Chevry-Cossigny;Service commun BCR"))
    edited = [line for line in lines if line != dropped]
    edited = [line.replace("Varennes-Jarcy", "Varenes-Jarcy") if line.startswith("total;") else line for line in edited]
    edited.append("part;Servon;Poste imaginaire;;12,00")
    answer = client.post("/api/v1/allocation/2022/compare", headers=admin,
                         files={"file": ("table.csv", "\n".join(edited).encode(), "text/csv")})  # fmt: skip
    assert answer.status_code == 200, answer.text
    report = answer.json()["differences"]
    by_problem = {(d["problem"], d["kind"], d["member"], d["pool"]): d for d in report if d["problem"] != "differs"}
    assert set(by_problem) == {
        ("missing", "part", "Chevry-Cossigny", "Service commun BCR"),
        ("missing", "total", "Varennes-Jarcy", ""),
        ("unknown_member", "total", "Varenes-Jarcy", ""),
        ("extra", "part", "Servon", "Poste imaginaire"),
    }
    missing = by_problem[("missing", "part", "Chevry-Cossigny", "Service commun BCR")]
    assert (missing["expected"], missing["found"], missing["line"]) == ("14238.69", None, 0)
    assert "absent du tableau" in missing["description"]
    unknown = by_problem[("unknown_member", "total", "Varenes-Jarcy", "")]
    assert unknown["description"] == "membre inconnu « Varenes-Jarcy »" and unknown["expected"] is None
    assert sum(d["problem"] == "differs" for d in report) == 9  # the seed's ten, less Varennes-Jarcy's total
