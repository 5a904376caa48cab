"""What a recognition found (:class:`Finding`) and its wording in zh/en (:data:`PHRASES`, :func:`say`)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Finding", "PHRASES", "say", "default_specs"]

PHRASES: dict[str, dict[str, str]] = {
    "long": {"en": "{table_en}, one row per record: headers {headers}",
             "zh": "{table_zh}，每行一条记录：表头 {headers}"},
    "roster": {"en": "roster of Party groups by name: headers {headers} (ids derived from the names)",
               "zh": "党小组名册（按名称）：表头 {headers}（编号由名称生成）"},
    "wide_rubric": {"en": "evaluation ledger, one row per group, one column per rubric item "
                          "({n} items, e.g. {headers})",
                    "zh": "考评台账，每个党小组一行、每个考评项目一列（{n} 项，如 {headers}）"},
    "wide_points": {"en": "evaluation ledger, one row per group, {n} items written with points ({headers}); "
                          "{unknown} of them are not items of the rubric: name your own rubric in "
                          "dataset.yml",
                    "zh": "考评台账，每个党小组一行，{n} 个带分值的考评项目（{headers}）；其中 {unknown} 项"
                          "不在考评细则中：请在 dataset.yml 中写明贵单位的考评细则"},
    "wide_indicators": {"en": "indicator sheet, one row per entity{by}, months or indicators as columns "
                              "({headers})",
                        "zh": "指标月报，每个对象一行{by}，月份或指标为列（{headers}）"},
    "wide_exposure": {"en": "person-hours per group and month, months as columns ({headers}; {words})",
                      "zh": "党小组每月工时，月份为列（{headers}；{words}）"},
    "wide_activities": {"en": "meeting/activity ledger, one row per group, months as columns "
                              "({headers}; {words})",
                        "zh": "组织生活台账，每个党小组一行、月份为列（{headers}；{words}）"},
    "survey": {"en": "{platform} survey export ({form}), {n} questions; wave {wave} from {wave_from}",
               "zh": "{platform}问卷导出（{form}），{n} 道题；年度 {wave} 取自{wave_from}"},
    "spec": {"en": "{kind} spec (keys {headers})", "zh": "{kind}（键 {headers}）"},
    "kind_from": {"en": "kind {kind} from {where} {text!r}", "zh": "活动类型 {kind} 取自{where} {text!r}"},
    "kind_default": {"en": "no kind named in the file name, sheet or title: group meetings assumed",
                     "zh": "文件名、工作表名和标题均未写明活动类型：按党小组会处理"},
    # not placed
    "not_table": {"en": "not a table file ({suffix})", "zh": "不是表格文件（{suffix}）"},
    "unreadable": {"en": "cannot be read: {error}", "zh": "无法读取：{error}"},
    "empty": {"en": "empty sheet", "zh": "空工作表"},
    "unit_in_title": {"en": "no unit column: every group is of {unit}, as {text!r} says",
                      "zh": "无所属单位列：各党小组均属于 {unit}（据 {text!r}）"},
    "unknown": {"en": "no header row names the columns of any table{nearest}",
                "zh": "没有一行表头能对上任何一张表的列{nearest}"},
    "nearest": {"en": "; closest: {table_en} (found {found}; missing {missing})",
                "zh": "；最接近：{table_zh}（有 {found}；缺 {missing}）"},
    "months_unclear": {"en": "months as columns, but neither the file name, sheet nor title says whether "
                             "it holds person-hours or meetings ({headers})",
                       "zh": "月份为列，但文件名、工作表名和标题都未说明是工时还是会议次数（{headers}）"},
    "survey_broken": {"en": "looks like a survey export but: {error}", "zh": "像问卷导出，但：{error}"},
    "no_wave": {"en": "survey export without a year in its file name or submission times: put the "
                      "survey's year in the file name (2019_问卷.xlsx) and run grouplab init --force",
                "zh": "问卷导出的文件名和提交时间中都没有年份：请在文件名中写上调查年份"
                      "（如 2019_问卷.xlsx），再运行 grouplab init --force"},
    "second_export": {"en": "a second export of wave {wave} ({other} is read): dataset.yml takes one export "
                            "per wave; export all answers in one file",
                      "zh": "{wave} 年度的第二个导出文件（已读取 {other}）：每个年度只能有一个导出文件，"
                            "请把全部答卷导出到一个文件中"},
    "twin": {"en": "the {form} twin of {other} (same wave): used for option labels of the drafted spec",
             "zh": "{other} 的{form}版本（同一年度）：用于起草问卷说明中的选项文字"},
    "coding_workbook": {"en": "the hand-coding workbook of the meeting minutes (sheets 编码表, 裁决): "
                              "read by grouplab minutes agreement and report 08, not a table",
                        "zh": "会议记录的人工编码工作簿（编码表、裁决）：由 grouplab minutes agreement "
                              "和 08 报告读取，不是数据表"},
    "spec_unknown": {"en": "YAML file that is not a rubric, questionnaire or catalogue",
                     "zh": "不是考评细则、问卷说明或指标目录的 YAML 文件"},
}

SPEC_KINDS = {"rubric": {"en": "evaluation rubric", "zh": "考评细则"},
               "questionnaire": {"en": "questionnaire", "zh": "问卷说明"},
               "catalogue": {"en": "indicator catalogue", "zh": "指标目录"}}
WHERE = {"file": {"en": "the file name", "zh": "文件名"},
          "sheet": {"en": "the sheet name", "zh": "工作表名"},
          "title": {"en": "the title", "zh": "标题"}}
FORMS = {"numeric": {"en": "codes", "zh": "按序号"}, "text": {"en": "labels", "zh": "按文本"}}


@dataclass
class Finding:
    """What one file (or sheet) holds.

    Attributes
    ----------
    file : str
        Path relative to the folder, with ``/``.
    sheet : str or None
        Sheet of a workbook (None: a CSV, or the only sheet).
    table : str or None
        Codebook table, ``rubric`` / ``questionnaire`` / ``catalogue`` for a spec, None when not placed.
    layout : str
        ``long``, ``wide``, ``export`` or ``spec``.
    options : dict
        Manifest options of the source (``kind`` of an activity ledger, ``wave`` and ``form`` of an export).
    why : dict
        ``{"code": …, **values}`` (see :data:`PHRASES`); :func:`say` words it.
    """

    file: str
    sheet: str | None
    table: str | None
    layout: str = "long"
    options: dict = field(default_factory=dict)
    why: dict = field(default_factory=dict)
    notes: list[dict] = field(default_factory=list)


def say(record: dict, lang: str = "en") -> str:
    """The wording of one ``why`` record in ``lang`` (``en`` or ``zh``)."""
    code = record.get("code")
    values = {k: v for k, v in record.items() if k != "code"}
    if code == "unknown":  # no near table: nothing after the sentence (it printed 'None')
        values["nearest"] = say(values["nearest"], lang) if values.get("nearest") else ""
    if code == "kind_from":
        values["where"] = WHERE[values["where"]][lang]
    if code == "spec":
        values["kind"] = SPEC_KINDS[values["kind"]][lang]
    if code in ("survey", "twin"):
        values["form"] = FORMS.get(values.get("form"), {}).get(lang, values.get("form"))
    if code == "survey":
        values["wave_from"] = WHERE.get(values["wave_from"], {}).get(lang, values["wave_from"])
    return PHRASES[code][lang].format(**values)


def default_specs() -> dict:
    """The kit's rubric and indicator catalogue (``data/rubrics``), used to recognise wide ledgers.

    Returns
    -------
    dict
        ``rubric``, ``catalogue``: validated specs; ``files``: spec -> path.
    """
    from grouplab.data.specs import load_catalogue, load_rubric
    from grouplab.paths import rubrics_dir

    files = {"rubric": rubrics_dir() / "party_group_evaluation.yml",
             "catalogue": rubrics_dir() / "oil_benchmark_indicators.yml"}
    return {"rubric": load_rubric(files["rubric"]), "catalogue": load_catalogue(files["catalogue"]),
            "files": files}
