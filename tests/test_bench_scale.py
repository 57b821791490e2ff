"""``zhitu bench scale`` end to end on a tiny corpus: its tables, and the builds it compares agree."""
from __future__ import annotations

import re
from pathlib import Path

from zhitu.benchmarks.scale import INCREMENTAL_RUNS
from zhitu.cli import main

SEEDS = str(Path(__file__).resolve().parent.parent / "seeds")


def test_the_scale_benchmark_prints_its_tables_and_finds_the_compared_builds_identical(tmp_path, capsys):
    assert main(["bench", "scale", "--pages", "3", "--workers", "2", "--seeds", SEEDS,
                 "--keep", str(tmp_path / "run")]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"^\| 3 \| [\d,]+ \| [\d.]+ \|", printed, re.M)  # the scale table's row
    assert "Speed-up with 2 workers" in printed
    assert printed.count("identical to the 1-worker build's: yes") == 1
    assert printed.count("identical to the full build's: yes") == 1
    runs = re.search(r"Incremental / full: [\d.]+% \(each run: ([^)]*)\)", printed).group(1)
    assert len(runs.split(", ")) == INCREMENTAL_RUNS
    assert not (tmp_path / "run" / "before-adding").exists()
    assert "SPARQL over the 3-page graph" in printed
