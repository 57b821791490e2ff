"""The command line: help, the build, and one-line errors for bad input."""
import os
import subprocess
import sys

import pytest

from zhitu.build_state import STATE_FOLDER
from zhitu.cli import main, make_parser
from zhitu.commands import command_name, commands
from zhitu.graph.export.units import FileLayout, Section

PAGE = "本报潍坊讯 临清市科技局局长高世奎说，寿光市科技局“科技红娘”主动上门服务。\n"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "zhitu", *args], capture_output=True, text=True, cwd=cwd)


def test_every_command_has_help():
    parser = make_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices
    for name, p in sub.choices.items():
        assert p.description, name
        assert p.format_help()


def test_each_module_registers_the_command_of_its_name_alone():
    for module in commands():
        parser = make_parser(command_name(module))
        sub = next(a for a in parser._actions if a.dest == "command")
        assert list(sub.choices) == [command_name(module)]
        assert sub.choices[command_name(module)].format_help() == \
            next(a for a in make_parser()._actions if a.dest == "command").choices[command_name(module)].format_help()


def test_a_build_does_not_import_what_only_other_commands_use():
    code = ("import sys; from zhitu.cli import make_parser; make_parser('build').parse_args(['build']); "
            "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'networkx') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "[]", r.stderr


def test_help_lists_build():
    r = run("--help")
    assert r.returncode == 0 and "build" in r.stdout and "query" in r.stdout
    r = run("nonsense")
    assert r.returncode == 2 and "invalid choice" in r.stderr and "query" in r.stderr


def test_build_writes_outputs_and_prints_a_summary(tmp_path, capsys):
    (tmp_path / "p.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "p.txt"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "documents: 1" in printed and "GovernmentBody" in printed and "holdsPosition" in printed
    assert (out / "graph.ttl").stat().st_size > 0
    assert [p for p in os.listdir(out) if p.startswith(".")] == [STATE_FOLDER]  # no staging left behind


@pytest.mark.parametrize("setup, message", [
    (lambda d: str(d / "missing"), "no such file or folder"),
    (lambda d: (d / "empty").mkdir() or str(d / "empty"), "no .txt files"),
    (lambda d: (d / "x.txt").write_bytes(b"\x00\x01\x02PNG") and str(d / "x.txt"), "not a text file"),
])
def test_bad_input_is_one_line_and_non_zero(tmp_path, setup, message):
    target = setup(tmp_path)
    r = run("build", target, "--out", str(tmp_path / "out"))
    assert r.returncode != 0
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_gbk_page_is_read_and_empty_page_skipped(tmp_path):
    (tmp_path / "gbk.txt").write_bytes(PAGE.encode("gbk"))
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    r = run("build", str(tmp_path), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert "empty.txt: empty file, skipped" in r.stderr
    assert "documents: 1" in r.stdout
    assert "高世奎" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


def test_a_failed_build_leaves_the_previous_outputs(tmp_path, monkeypatch):
    (tmp_path / "p.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "p.txt"), "--out", str(out)]) == 0
    before = (out / "graph.ttl").read_bytes()

    from zhitu.graph import export

    def broken(G, outline, name):
        def fail(key):
            raise RuntimeError("disk full")
        return [FileLayout(name, ["half", Section("entities", list(outline.types), fail)])]

    monkeypatch.setitem(export.LAYOUTS, "graph.zzz", broken)
    (tmp_path / "p.txt").write_text(PAGE + "山东精诺机械股份有限公司董事长刘刚感叹。\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        main(["build", str(tmp_path / "p.txt"), "--out", str(out)])
    assert (out / "graph.ttl").read_bytes() == before
    assert not (out / "graph.zzz").exists()
    assert [p for p in os.listdir(out) if p.startswith(".")] == [STATE_FOLDER]
