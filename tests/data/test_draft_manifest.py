"""``grouplab init``'s dataset.yml: golden files for the kit's example folders, and every refusal.

The golden files under ``tests/fixtures/init/`` are what init writes for a copy of ``data/examples/ledgers``,
``data/examples/tidy`` and ``data/demo`` without their dataset.yml. A change of recognition shows up as a
diff of these files; regenerate them on purpose with ``GROUPLAB_UPDATE_GOLDEN=1`` and read the diff.
"""

import os
import shutil
from pathlib import Path

import pytest
import yaml
from grouplab.data.dataset import load_dataset
from grouplab.data.recognise.draft_manifest import HEAD, SPEC_FILE, draft_manifest, init_folder
from grouplab.errors import DataError, ParameterError
from grouplab.paths import data_dir

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "init"
REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"  # ../shared beside the checkout


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("dataset.yml"))
    return dst


def _golden(name: str, text: str) -> str:
    path = GOLDEN / name
    if os.environ.get("GROUPLAB_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("folder", "lang"), [("examples/ledgers", "en"), ("examples/ledgers", "zh"),
                                              ("examples/tidy", "en"), ("demo", "zh")])
def test_golden_dataset_yml(tmp_path, folder, lang):
    src = data_dir() / folder
    root = _copy(src, tmp_path / src.name)
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    draft = init_folder(root, lang=lang)
    text = (root / "dataset.yml").read_text(encoding="utf-8")
    assert text == draft.text
    assert text == _golden(f"{src.name}.{lang}.yml", text)
    # the user's files are untouched; only dataset.yml (and a drafted questionnaire) are new
    assert {p.name: p.read_bytes() for p in root.iterdir() if p.name in before} == before
    assert {p.name for p in root.iterdir()} - set(before) == {"dataset.yml"} | (
        {SPEC_FILE} if draft.spec else set())


@pytest.mark.parametrize("folder", ["examples/ledgers", "demo"])
def test_the_draft_loads_like_the_hand_written_manifest(tmp_path, folder):
    """The drafted manifest reads the same tables, cell by cell, as the hand-written one."""
    src = data_dir() / folder
    root = _copy(src, tmp_path / src.name)
    init_folder(root, lang="en")
    drafted, written = load_dataset(root, cache=False), load_dataset(src, cache=False)
    # the demo's minutes.csv is read beside its hand-written manifest; the draft names it
    assert sorted(set(drafted.tables) - {"minutes"}) == sorted(written.tables)
    for t in written.tables:
        a = drafted[t].sort_values(list(drafted[t].columns)).reset_index(drop=True)
        b = written[t].sort_values(list(written[t].columns)).reset_index(drop=True)
        assert a.equals(b), t


def test_demo_draft_names_every_table_and_its_questionnaire(tmp_path):
    root = _copy(data_dir() / "demo", tmp_path / "demo")
    draft = init_folder(root, lang="en")
    manifest = yaml.safe_load(draft.text)
    hand = yaml.safe_load((data_dir() / "demo" / "dataset.yml").read_text(encoding="utf-8"))
    assert set(manifest["tables"]) == set(hand["tables"]) | {"minutes"}  # minutes.csv: read beside it
    assert manifest["tables"]["survey"]["files"] == {2017: "survey_2017.xlsx", 2018: "survey_2018.xlsx",
                                                     2019: "survey_2019.xlsx"}
    spec = (root / SPEC_FILE).read_text(encoding="utf-8")
    assert spec.startswith(HEAD)
    # every question of the exports is one of the kit's questionnaire: a copy, units by name
    assert "questionnaire: questionnaire.yml   # a copy of the kit's questionnaire" in draft.text
    kit = yaml.safe_load((data_dir() / "rubrics" / "member_survey.yml").read_text(encoding="utf-8"))
    copy = yaml.safe_load(spec)
    assert copy["unit"]["map"] == {name: name for name in kit["unit"]["map"]}
    assert {k: v for k, v in copy.items() if k != "unit"} == {k: v for k, v in kit.items() if k != "unit"}


def test_refuses_to_overwrite_dataset_yml(tmp_path):
    root = _copy(data_dir() / "examples" / "tidy", tmp_path / "tidy")
    (root / "dataset.yml").write_text("name: mine\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"dataset.yml exists: grouplab init does not overwrite "
                                             r"it.*--force"):
        init_folder(root)
    assert (root / "dataset.yml").read_text(encoding="utf-8") == "name: mine\n"
    init_folder(root, force=True)
    assert "units: units.csv" in (root / "dataset.yml").read_text(encoding="utf-8")


def test_not_a_folder(tmp_path):
    with pytest.raises(ParameterError, match="is not a folder: give the folder that holds the files"):
        init_folder(tmp_path / "missing")


def test_leaves_a_questionnaire_it_did_not_write(tmp_path):
    root = tmp_path / "svy"
    root.mkdir()
    shutil.copy(data_dir() / "demo" / "survey_2019.xlsx", root)
    (root / SPEC_FILE).write_text("# my notes\nfoo: 1\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="questionnaire.yml exists and was not written by grouplab init"):
        init_folder(root)
    assert (root / SPEC_FILE).read_text(encoding="utf-8") == "# my notes\nfoo: 1\n"
    assert not (root / "dataset.yml").exists()  # nothing half-written


def test_bad_language(tmp_path):
    with pytest.raises(ParameterError, match="lang='fr': expected zh or en"):
        draft_manifest(tmp_path, lang="fr")


def test_empty_folder_says_nothing_was_recognised(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    text = draft_manifest(tmp_path, lang="en").text
    assert "# nothing was recognised" in text
    assert "#   notes.docx: not a table file (.docx)" in text


def test_a_spec_that_cannot_be_drafted_is_said(tmp_path, monkeypatch):
    import grouplab.data.surveys.draft_spec as ds
    from grouplab.errors import DataError

    # a real 问卷星 export no spec of the kit maps (../shared/realdata, see its SOURCES.md)
    shutil.copy(REALDATA / "wjx_windstation_parenting_numeric_redacted.xlsx",
                tmp_path / "survey_2019.xlsx")

    def broken(*paths, platform="auto"):
        raise DataError("no question could be read", file="survey_2019.xlsx")

    monkeypatch.setattr(ds, "draft_spec", broken)
    draft = init_folder(tmp_path, lang="en")
    assert draft.spec is None and not (tmp_path / SPEC_FILE).exists()
    assert ("# questionnaire: no spec could be drafted from the survey exports (survey_2019.xlsx: no "
            "question could be read); write one with grouplab draft-spec") in draft.text


def test_a_questionnaire_is_drafted_for_an_export_of_another_questionnaire(tmp_path):
    """A real 问卷星 export (82 five-point items, see ../shared/realdata/SOURCES.md): a spec is drafted."""
    real = REALDATA / "wjx_windstation_parenting_numeric_redacted.xlsx"
    shutil.copy(real, tmp_path / "问卷.xlsx")
    draft = init_folder(tmp_path, lang="en")
    assert "      2023: 问卷.xlsx\n" in draft.text  # the year of the answers' submission times
    assert "questionnaire: questionnaire.yml   # drafted from the survey exports by grouplab init" in (
        draft.text)
    text = (tmp_path / SPEC_FILE).read_text(encoding="utf-8")
    assert text.startswith(f"{HEAD}: questionnaire spec drafted from the survey exports.")
    spec = yaml.safe_load(text)
    assert spec["range"] == [1, 5] and spec["scales"]


def test_a_folder_with_minutes_is_offered_meeting_flags_and_the_choice_loads(tmp_path):
    demo = data_dir() / "demo"
    folder = tmp_path / "m"
    folder.mkdir()
    for name in ("units.csv", "groups.csv", "activities.csv", "minutes.csv"):
        shutil.copy(demo / name, folder / name)
    text = draft_manifest(folder, lang="en").text
    assert "\n# meeting_flags: recorded   # the 三多三少 flags of reports 03 and 07" in text
    (folder / "dataset.yml").write_text(text.replace("# meeting_flags: recorded", "meeting_flags: coded"),
                                        encoding="utf-8")
    assert load_dataset(folder, cache=False).manifest["meeting_flags"] == "coded"
    (folder / "minutes.csv").unlink()
    (folder / "dataset.yml").write_text(text.replace("# meeting_flags: recorded", "meeting_flags: coded")
                                        .replace("  minutes: minutes.csv\n", ""), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(folder, cache=False)
    assert [p.code for p in err.value.problems] == ["meeting_flags_without_minutes"]
