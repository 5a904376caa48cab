"""Demo minutes: one record per demo group meeting, written from the meeting's 三多三少 flags.

Truth is known by construction: a record holds a concrete criticism exactly when
``praise_over_criticism`` is 0, a concrete work item on the agenda exactly when
``form_over_substance`` is 0, and a concrete problem tied to a measure exactly when
``chat_over_solving`` is 0. Wording, length and order vary; hard cases are mixed in where the
flag is 1 (generic criticism "开展了批评与自我批评", criticism of the meeting itself, pledges that
name tasks, "制定了整改措施" with no object). 2 % of the records are placeholders ("详见记录本"),
whose truth is NA (nothing was written); 10 % name their group instead of giving its id (only groups
whose name is unique: a shared name such as 综合班党小组 could not be resolved); a few
records have no activity on their date (they must show up as unmatched).

Person names are invented (surname + given name drawn at random) and written as a real secretary
would: in the attendance list, as 主持人 / 记录人, and before 同志 or a speech verb.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["build_minutes", "MINUTES_STREAM", "FLAGS"]

FLAGS = ["praise_over_criticism", "form_over_substance", "chat_over_solving"]
#: index of the random stream (``SeedSequence(seed).spawn(MINUTES_STREAM + 1)[MINUTES_STREAM]``)
MINUTES_STREAM = 8

_SURN = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐韩冯邓曹彭曾")
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红玉兰海波鹏飞")
_DOCS = ["《中国共产党章程》", "《中国共产党支部工作条例（试行）》", "《中国共产党纪律处分条例》",
         "公司党委中心组学习会议精神", "上级党委关于加强基层党建工作的通知",
         "《关于新形势下党内政治生活的若干准则》",
         "习近平总书记重要讲话精神", "《中国共产党党员教育管理工作条例》", "公司安全生产工作会议精神"]
_VIDEOS = ["警示教育片", "专题纪录片", "先进事迹报告会视频", "党史专题片"]
_OBJECTS = [("巡检记录", "填写不规范"), ("工器具台账", "更新不及时"), ("交接班记录", "有漏填"),
            ("安全帽", "有破损"), ("作业票", "签发不规范"), ("接地线", "编号不清楚"),
            ("备品备件", "堆放杂乱"), ("灭火器", "已过期"), ("值班记录", "记录不完整"),
            ("操作票", "执行不严格"), ("学习笔记", "记得不全"),
            ("井口", "盘根渗漏"), ("阀门", "有锈蚀"), ("抽油机", "皮带松动"), ("电缆", "外皮老化")]
_TASKS = ["冬季设备防冻", "迎峰度夏保电", "春季安全大检查", "线路巡视", "班组技能培训", "防汛准备",
          "台区线损治理",
          "检修计划", "党员示范岗", "客户走访"]
_FIXES = ["完成整改", "全部更换", "补填齐全", "重新核对", "修复到位"]


def _name(rng) -> str:
    return str(rng.choice(_SURN)) + "".join(rng.choice(_GIVEN, size=int(rng.integers(1, 3))))


def _study(rng, people) -> list[str]:
    doc, doc2 = rng.choice(_DOCS, size=2, replace=False)
    pool = [f"会议传达学习了{doc}。", f"{people[0]}同志领学了{doc}。", f"全体党员集中学习了{doc}。",
            f"大家观看了{rng.choice(_VIDEOS)}。", f"组长带领大家通读了{doc2}。", f"学习{doc2}。"]
    k = int(rng.integers(1, 4))
    return [pool[i] for i in sorted(rng.choice(len(pool), size=k, replace=False))]


def _criticism(rng, people) -> str:
    obj, issue = _OBJECTS[int(rng.integers(len(_OBJECTS)))]
    who = people[int(rng.integers(len(people)))]
    return str(rng.choice([f"{who}同志作自我批评，指出自己上月{obj}{issue}。",
                           f"{who}指出，班组{obj}{issue}，本人也有责任。",
                           f"在批评环节，{who}同志点名{people[-1]}的{obj}{issue}。",
                           f"{who}坦言本人对{obj}管理不熟悉，{obj}{issue}。"]))


def _agenda(rng, leader) -> str:
    task = str(rng.choice(_TASKS))
    return str(rng.choice([f"会议讨论了{task}工作的分工。", f"组长{leader}通报了本月安全生产指标完成情况。",
                           f"大家围绕{task}工作进行了交流，梳理了现场作业的难点。",
                           f"研究了{task}中设备的巡视路线。"]))


def _measure(rng, people, date) -> str:
    obj, issue = _OBJECTS[int(rng.integers(len(_OBJECTS)))]
    who = people[int(rng.integers(len(people)))]
    due = (date + pd.Timedelta(days=int(rng.integers(5, 25))))
    deadline = f"{due.month}月{due.day}日前"
    fix = str(rng.choice(_FIXES))
    return str(rng.choice([f"针对{obj}{issue}的问题，会议决定由{who}负责，{deadline}{fix}。",
                           f"关于{obj}{issue}，明确由{who}牵头，{deadline}{fix}。",
                           f"{obj}{issue}一事，责任人为{who}，限期{fix}。"]))


def _hard_cases(rng, flags) -> list[str]:
    out = []
    if flags[0] == 1 and rng.random() < 0.6:
        out.append(str(rng.choice(["会上开展了批评与自我批评，大家查找了差距和不足。",
                                   "大家对照党章查找了自身存在的问题，达到了红红脸、出出汗的效果。",
                                   "有同志提出本次会议学习讨论不够深入。",
                                   "大家一致认为，本季度班组工作取得了较好成绩。"])))
    if flags[1] == 1 and rng.random() < 0.5:
        out.append(str(rng.choice(["大家表示，今后要加强设备巡检，确保安全生产。",
                                   "要提高政治站位，要强化责任担当，要抓好安全生产。",
                                   "大家结合学习谈了心得体会。"])))
    if flags[2] == 1 and rng.random() < 0.5:
        out.append(str(rng.choice(["针对查找出的问题，制定了整改措施。", "下一步要加强工器具管理。",
                                   "会议要求对发现的问题认真整改。"])))
    return out


def _record(rng, flags, date: pd.Timestamp, people: list[str], with_header: bool) -> str:
    leader, recorder = people[0], people[-1]
    body = _study(rng, people)
    middle = []
    if flags[0] == 0:
        middle.append(_criticism(rng, people))
    if flags[1] == 0:
        middle.append(_agenda(rng, leader))
    if flags[2] == 0:
        middle.append(_measure(rng, people, date))
    middle += _hard_cases(rng, flags)
    order = rng.permutation(len(middle))
    body += [middle[i] for i in order]
    if rng.random() < 0.4:
        body.append(str(rng.choice(["最后，组长作了总结。", "会议在热烈的气氛中结束。", "散会。"])))
    text = "".join(body) if rng.random() < 0.5 else "\n".join(body)
    if with_header:
        head = (f"时间：{date.year}年{date.month}月{date.day}日\n地点：班组会议室\n主持人：{leader}\n"
                f"参加人员：{'、'.join(people)}\n记录人：{recorder}\n会议内容：\n")
        text = head + text
    return text


def build_minutes(activities: pd.DataFrame, groups: pd.DataFrame, seed: int) -> tuple[pd.DataFrame,
                                                                                       pd.DataFrame]:
    """Minutes of every demo group meeting with flags, and their truth.

    Returns
    -------
    minutes : pandas.DataFrame
        ``记录编号, 党小组编号, 党小组名称, 会议日期, 会议类型, 会议内容, 记录人`` (one row per record).
    truth : pandas.DataFrame
        ``record_id`` and the three flags (1/0; empty for a placeholder record).
    """
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(MINUTES_STREAM + 1)[MINUTES_STREAM])
    names = dict(zip(groups["group_id"], groups["name"]))
    shared = set(groups.loc[groups["name"].duplicated(keep=False), "group_id"])  # names two units use
    meets = activities[(activities["kind"] == "group_meeting")
                       & activities["praise_over_criticism"].notna()].reset_index(drop=True)
    roster = {g: [_name(rng) for _ in range(8)] for g in sorted(groups["group_id"])}
    rows, truth = [], []
    for i, a in enumerate(meets.itertuples(index=False)):
        flags = [int(getattr(a, f)) for f in FLAGS]
        date = pd.Timestamp(a.date)
        people = [str(p) for p in rng.choice(roster[a.group_id], size=int(rng.integers(3, 7)), replace=False)]
        placeholder = rng.random() < 0.02
        text = str(rng.choice(["详见记录本", "同上", "见附件"])) if placeholder else \
            _record(rng, flags, date, people, with_header=rng.random() < 0.3)
        by_name = rng.random() < 0.10 and a.group_id not in shared
        rid = f"R{i + 1:05d}"
        rows.append({"记录编号": rid, "党小组编号": None if by_name else a.group_id,
                     "党小组名称": names[a.group_id] if by_name else None,
                     "会议日期": date.strftime("%Y-%m-%d"),
                     "会议类型": "党小组会", "会议内容": text, "记录人": people[-1]})
        truth.append({"record_id": rid,
                      **{f: (None if placeholder else flags[j]) for j, f in enumerate(FLAGS)}})
    for k, g in enumerate(sorted(groups["group_id"])[:3]):  # meetings the activity log does not hold
        rid = f"X{k + 1:05d}"
        people = roster[g][:4]
        text = _record(rng, [1, 1, 1], pd.Timestamp(2019, 12, 28 + k), people, False)
        rows.append({"记录编号": rid, "党小组编号": g, "党小组名称": None,
                     "会议日期": f"2019-12-{28 + k:02d}", "会议类型": "党小组会", "会议内容": text,
                     "记录人": people[-1]})
        truth.append({"record_id": rid, **dict.fromkeys(FLAGS, 1)})
    return pd.DataFrame(rows), pd.DataFrame(truth, columns=["record_id", *FLAGS]).astype(
        {f: "Int64" for f in FLAGS})


def coded_sample(minutes: pd.DataFrame, truth: pd.DataFrame, seed: int, *, n: int = 60,
                 slips: tuple[float, ...] = (0.02, 0.04)) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """A two-coder sample of the demo minutes: coder k writes the truth but slips with probability slips[k].

    Returns
    -------
    sample : pandas.DataFrame
        ``record_id``, ``group``, ``date``, ``text`` (names masked) of ``n`` records.
    answers : dict
        Sheet name (``编码员1``, ``编码员2``, ``裁决``) → frame of 1/0/NA per code (``裁决`` = truth).
    """
    from grouplab.data.minutes import mask_names

    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(MINUTES_STREAM + 2)[MINUTES_STREAM + 1])
    pick = np.sort(rng.choice(len(minutes), size=n, replace=False))
    m = minutes.iloc[pick].reset_index(drop=True)
    t = truth.set_index("record_id").loc[m["记录编号"], FLAGS].reset_index(drop=True)
    sample = pd.DataFrame({"record_id": m["记录编号"], "group": m["党小组编号"].fillna(m["党小组名称"]),
                           "date": m["会议日期"],
                           "text": [mask_names(x, m["记录人"].tolist()) for x in m["会议内容"]]})
    answers = {}
    for k, slip in enumerate(slips):
        flip = rng.random(t.shape) < slip
        answers[f"编码员{k + 1}"] = t.where(~flip, 1 - t)
    answers["裁决"] = t
    return sample, answers
