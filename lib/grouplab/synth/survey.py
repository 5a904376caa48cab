"""Member survey 2017-2019: questionnaire spec and 问卷星 (Wenjuanxing) style exports.

The exports look the way 问卷星 writes them: question 1 asks for the work area
(a single choice whose answer the spec maps to ``unit_id``), question 2 is a
fill-in for the Party-group number, each scale is one 矩阵量表 question (one
column per statement), then the four choice questions. The waves in
:data:`TEXT_WAVES` are 按文本 exports (labels, ``(跳过)``), the others 按序号
(codes, −2/−3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.synth import survey_structure
from grouplab.synth.truth import TRUTH

_SCALES = {
    "quality": ("组织生活质量", "Quality of organisational life", "A"),
    "cohesion": ("党小组凝聚力", "Group cohesion", "B"),
    "leader": ("党小组长能力", "Group leader's capability", "L"),
    "model": ("示范引领", "Leading by example", "M"),
    "safety": ("安全责任意识", "Safety responsibility", "S"),
}
# item id -> (zh, en); the 4th item of every scale is reverse-keyed
_ITEMS = {
    "A1": ("党小组每月按时召开党小组会", "Our group holds its meeting every month on time"),
    "A2": ("党小组会内容充实，能解决实际问题",
           "Group meetings have substance and solve real problems"),
    "A3": ("党小组会上能开展批评与自我批评",
           "Criticism and self-criticism are practised at meetings"),
    "A4": ("党小组会上讲好话多、提不足少",
           "Meetings bring more praise than pointing out shortcomings"),
    "B1": ("我愿意参加党小组的各项活动", "I am willing to take part in the group's activities"),
    "B2": ("党小组成员之间团结互助", "Group members stand together and help each other"),
    "B3": ("遇到困难时，我会向党小组求助", "When in difficulty I turn to my group"),
    "B4": ("党小组活动可有可无，对我没有吸引力",
           "Group activities are dispensable and do not attract me"),
    "L1": ("党小组长熟悉党务工作", "The group leader knows Party work well"),
    "L2": ("党小组长能组织好党小组活动", "The group leader organises group activities well"),
    "L3": ("党小组长善于做思想工作", "The group leader is good at heart-to-heart talks"),
    "L4": ("党小组长只抓生产，不抓党建", "The group leader attends to production only"),
    "M1": ("党员示范岗在本班组发挥了带头作用", "Demonstration posts set an example in my team"),
    "M2": ("示范岗党员在急难险重任务中冲在前面", "Post holders lead in urgent and dangerous tasks"),
    "M3": ("我以示范岗党员为榜样", "I take the post holders as my role models"),
    "M4": ("党员示范岗流于形式", "Demonstration posts are a mere formality"),
    "S1": ("我严格执行安全工作规程", "I follow the safety work rules strictly"),
    "S2": ("发现安全隐患我会主动报告", "I report hidden hazards I find"),
    "S3": ("党员应在安全生产中带头", "Party members should lead in safe production"),
    "S4": ("为赶工期可以适当简化安全措施", "Safety measures may be simplified to keep to schedule"),
}
_OTHER = ("其他", "Other")
_CHOICES = {
    "C1": ("您认为加强基层服务型党组织建设的关键是什么？",
           "What is the key to building service-oriented grassroots Party organisations?",
           [("党员干部要有为民务实清廉的价值追求",
             "Cadres who value serving the people, pragmatism and integrity"),
            ("健全完善服务制度", "Complete service institutions"),
            ("加大服务经费投入", "More funding for services"),
            ("创新服务方式和载体", "New ways and vehicles of service"), _OTHER]),
    "C2": ("您认为建设基层服务型党组织应着眼于什么？",
           "What should building service-oriented Party organisations focus on?",
           [("提高服务效率，增强服务针对性", "Efficiency and better-targeted services"),
            ("扩大组织和工作覆盖", "Wider organisational coverage"),
            ("提高党员素质", "Better-qualified members"),
            ("改善服务设施", "Better service facilities"), _OTHER]),
    "C3": ("您认为当前基层党组织服务群众的突出问题是什么？",
           "What is the main problem of grassroots Party organisations in serving the people?",
           [("服务群众的渠道不畅，为民办事的公信度和透明度不高",
             "Poor channels; low credibility and transparency"),
            ("服务意识不强", "Weak service awareness"),
            ("服务能力不足", "Insufficient service capability"),
            ("服务资源分散", "Scattered service resources"), _OTHER]),
    "C4": ("您认为衡量基层服务型党组织建设成效的根本标尺是什么？",
           "What is the fundamental yardstick of success?",
           [("群众满意不满意", "Whether the people are satisfied"),
            ("上级考核结果", "Results of higher-level assessment"),
            ("生产经营指标完成情况", "Production and business targets met"),
            ("党员民主评议结果", "Members' democratic appraisal"), _OTHER]),
}
_OTHER_SHARES = [0.35, 0.30, 0.20, 0.15]  # options 2..5 among non-key answers
TEXT_WAVES = (2018,)  # exported 按文本 (labels); the other waves 按序号 (codes)
_LIKERT = {1: "非常不同意", 2: "不同意", 3: "一般", 4: "同意", 5: "非常同意"}
_STEM = "请根据您的实际感受，评价以下说法（{}）："
_UNIT_Q = "unit_branch"


def _work_areas() -> list[tuple[str, str]]:
    """(unit_id, name) of the work areas, the options of question 1."""
    from grouplab.synth.units import build_units

    units = build_units()
    areas = units[units["level"] == "work_area"]
    return list(zip(areas["unit_id"], areas["name"], strict=True))


def _export_columns(spec: dict) -> dict[str, str]:
    """Export column (as read by ``read_export``) -> spec id."""
    cols = {"Q1": _UNIT_Q, "Q2": "group_id"}
    for k, sc in enumerate(spec["scales"].values(), start=3):
        cols.update({f"Q{k}.{r}": item for r, item in enumerate(sc["items"], start=1)})
    first = 3 + len(spec["scales"])
    cols.update({f"Q{first + k}": cid for k, cid in enumerate(spec["choices"])})
    after = first + len(spec["choices"])
    cols.update({f"Q{after + k}": aid for k, aid in enumerate(_respondent_attributes(spec))})
    return cols


def _respondent_attributes(spec: dict) -> list[str]:
    """Attribute questions asked after the choices (all but the unit question)."""
    return [a for a, v in spec["attributes"].items() if v.get("kind") != "unit"]


def questionnaire() -> dict:
    """The questionnaire spec (written to data/rubrics/member_survey.yml)."""
    scales = {}
    for sid, (zh, en, letter) in _SCALES.items():
        items = [f"{letter}{k}" for k in range(1, 5)]
        scales[sid] = {"zh": zh, "en": en, "items": items, "reverse": [items[-1]]}
    items = {i: {"zh": zh, "en": en} for i, (zh, en) in _ITEMS.items()}
    choices = {}
    for cid, (zh, en, opts) in _CHOICES.items():
        choices[cid] = {"zh": zh, "en": en,
                        "options": {k + 1: {"zh": o[0], "en": o[1]} for k, o in enumerate(opts)},
                        "key_option": 1}
    areas = _work_areas()
    spec = {"id": "member_survey", "zh": "党员问卷（示例）", "en": "Member survey (demo)",
            "range": [1, 5], "labels": dict(_LIKERT), "scales": scales, "items": items,
            "choices": choices,
            "attributes": {_UNIT_Q: {"kind": "unit", "zh": "您所在的单位", "en": "Your work area",
                                     "options": {k: name for k, (_, name) in
                                                 enumerate(areas, start=1)}},
                           **survey_structure.attribute_spec()},
            "unit": {"question": _UNIT_Q, "map": {name: uid for uid, name in areas}}}
    spec["columns"] = _export_columns(spec)
    return spec


def _wave_time(rng, wave: int, n: int) -> tuple[list[str], np.ndarray]:
    sv = TRUTH["survey"]
    start = np.datetime64(f"{wave}-{sv['fielded']}T00:00:00", "s")
    secs = (rng.integers(0, sv["field_days"], n) * 86400
            + rng.integers(8 * 3600, 22 * 3600, n))
    stamps = np.sort(start + secs.astype("timedelta64[s]"))
    text = []
    for s in stamps.astype(object):
        text.append(f"{s.year}/{s.month}/{s.day} {s.hour}:{s.minute:02d}:{s.second:02d}")
    return text, stamps


def build_wave(rng: np.random.Generator, wave: int, groups: pd.DataFrame,
               members: pd.DataFrame) -> pd.DataFrame:
    """One wave as the 问卷星 按序号 export (columns as in the xlsx file)."""
    sv = TRUTH["survey"]
    spec = questionnaire()
    g_index = pd.Series(np.arange(len(groups)), index=groups["group_id"].to_numpy())
    resp = members[rng.random(len(members)) < sv["response_rate"]]
    gi = g_index[resp["group_id"].to_numpy()].to_numpy()
    n = len(resp)
    z = (groups["engagement"].to_numpy() / TRUTH["engagement_sd"])[gi]
    unit = groups["unit_id"].to_numpy()[gi]
    adopted_by = np.array([TRUTH["adoption"].get(x) or "9999-99" for x in unit])
    posts = adopted_by <= f"{wave}-{sv['fielded'][:2]}"
    rho = sv["person_general_corr"]
    general = rng.standard_normal(n)
    answers: dict[str, np.ndarray] = {}
    thetas: dict[str, np.ndarray] = {}
    lam = np.array(sv["item_loading"])
    tau = np.array(sv["thresholds"])
    for sid, sc in spec["scales"].items():
        theta = (sv["engagement_loading"][sid] * z + sv["post_shift"].get(sid, 0.0) * posts
                 + np.sqrt(rho) * general + np.sqrt(1 - rho) * rng.standard_normal(n))
        thetas[sid] = theta
        ystar = lam[None, :] * theta[:, None] + np.sqrt(1 - lam**2)[None, :] * rng.standard_normal(
            (n, len(lam)))
        code = 1 + (ystar[:, :, None] > tau[None, None, :]).sum(axis=2)
        for j, item in enumerate(sc["items"]):
            answers[item] = 6 - code[:, j] if item in sc["reverse"] else code[:, j]
    for item in spec["scales"]["model"]["items"]:
        answers[item] = np.where(posts, answers[item], -3)
    for item in answers:
        answers[item] = np.where(rng.random(n) < sv["skip_rate"], -2, answers[item])
    for cid in spec["choices"]:
        skipped = rng.random(n) < sv["skip_rate"]
        valid = np.flatnonzero(~skipped)
        k = int(np.floor(sv["key_shares"][cid] * len(valid) + 0.5))
        code = np.full(n, -2, dtype=np.int64)
        code[valid] = rng.choice([2, 3, 4, 5], size=len(valid), p=_OTHER_SHARES)
        code[rng.permutation(valid)[:k]] = 1
        answers[cid] = code
    answers.update(survey_structure.draw_attributes(wave, thetas, answers["C1"]))
    text, _ = _wave_time(rng, wave, n)
    order = rng.permutation(n)  # submission order is unrelated to member order
    mobile = rng.random(n) < 0.7
    out = {
        "序号": np.arange(1, n + 1),
        "提交答卷时间": text,
        "所用时间": [f"{s}秒" for s in np.round(rng.lognormal(np.log(240), 0.35, n)).astype(int)],
        "来源": np.where(mobile, "手机提交", "链接"),
        "来源详情": np.where(mobile & (rng.random(n) < 0.8), "微信", "直接访问"),
        "来自IP": np.full(n, "0.0.0.0(示例)"),
    }
    cols = {_UNIT_Q: _area_codes(unit), "group_id": resp["group_id"].to_numpy(), **answers}
    out.update(_answer_columns(spec, {q: np.asarray(v)[order] for q, v in cols.items()},
                               text=wave in TEXT_WAVES))
    return pd.DataFrame(out)


def _area_codes(unit: np.ndarray) -> np.ndarray:
    code = {uid: k for k, (uid, _) in enumerate(_work_areas(), start=1)}
    return np.array([code[u] for u in unit])


def _as_text(values: np.ndarray, labels: dict) -> list[str]:
    """Codes as a 按文本 export writes them: labels, ``(跳过)`` for skipped or not shown."""
    return ["(跳过)" if int(v) < 0 else labels[int(v)] for v in values]


def _answer_columns(spec: dict, cols: dict[str, np.ndarray], *, text: bool) -> dict:
    """Question columns with 问卷星 headers: matrix questions per scale, codes or labels."""
    out: dict[str, object] = {}
    areas = spec["attributes"][_UNIT_Q]["options"]
    out["1、您所在的单位"] = _as_text(cols[_UNIT_Q], areas) if text else cols[_UNIT_Q]
    out["2、您所在党小组的编号"] = cols["group_id"]
    for k, sc in enumerate(spec["scales"].values(), start=3):
        for r, item in enumerate(sc["items"]):
            row = spec["items"][item]["zh"]
            if text:
                head = f"{k}、{_STEM.format(sc['zh'])}—{row}" if r == 0 else f"{k}、{row}"
                out[head] = _as_text(cols[item], _LIKERT)
            else:
                out[f"{k}({row})"] = cols[item]
    first = 3 + len(spec["scales"])
    for k, (cid, choice) in enumerate(spec["choices"].items()):
        labels = {c: o["zh"] for c, o in choice["options"].items()}
        out[f"{first + k}、{choice['zh']}"] = _as_text(cols[cid], labels) if text else cols[cid]
    after = first + len(spec["choices"])
    for k, aid in enumerate(_respondent_attributes(spec)):
        attr = spec["attributes"][aid]
        labels = {c: o["zh"] for c, o in attr["options"].items()}
        out[f"{after + k}、{attr['zh']}"] = _as_text(cols[aid], labels) if text else cols[aid]
    return out
