"""Units, Party groups, members and demonstration posts of the demo dataset."""

from __future__ import annotations

import numpy as np
import pandas as pd

from grouplab.synth.truth import TRUTH

# (unit_id, name, team names used for the area's Party groups, in order)
_AREAS = [
    ("WA01", "输电运检一工区", ["线路运行一班", "线路运行二班", "线路检修一班", "线路检修二班",
                          "带电作业班", "线路巡视班", "技术管理班"]),
    ("WA02", "输电运检二工区", ["线路运行三班", "线路运行四班", "线路检修三班", "电缆运检班",
                          "通道管控班", "防外破班", "综合班"]),
    ("WA03", "变电检修工区", ["变电检修一班", "变电检修二班", "高压试验班", "继电保护班",
                         "油化试验班", "自动化班", "综合班"]),
    ("WA04", "变电运维一工区", ["运维一班", "运维二班", "运维三班", "操作一队", "操作二队",
                          "监控班", "综合班"]),
    ("WA05", "变电运维二工区", ["运维四班", "运维五班", "运维六班", "操作三队", "操作四队",
                          "巡检班", "综合班"]),
    ("WA06", "配电运检工区", ["配电运行班", "配电检修班", "配网抢修班", "低压班", "计量班",
                         "配网自动化班", "综合班"]),
    ("WA07", "电缆运检工区", ["电缆运行班", "电缆检修班", "电缆试验班", "隧道巡视班",
                         "电缆抢修班", "技术班", "综合班"]),
    ("WA08", "带电作业工区", ["带电作业一班", "带电作业二班", "带电作业三班", "绝缘工器具班",
                         "培训班", "技术班", "综合班"]),
    ("WA09", "城区供电工区", ["城东供电班", "城西供电班", "城南供电班", "城北供电班",
                         "抢修服务班", "营业班", "综合班"]),
    ("WA10", "农村供电工区", ["东乡供电班", "西乡供电班", "南乡供电班", "北乡供电班",
                         "抢修服务班", "营业班", "综合班"]),
]

_STATION_NAMES = {"S1": "采油一站", "S2": "采油二站", "S3": "采油三站"}

_POWER_POSTS = ["quiet_dedication", "service_star", "safety_guard", "zero_violation",
                "hardship_pioneer", "line_guard"]


def build_units() -> pd.DataFrame:
    """All units: company, power work areas, oil area, stations and wells."""
    rows = [("C01", "示例供电公司（合成）", "", "company", "power")]
    rows += [(uid, name, "C01", "work_area", "power") for uid, name, _ in _AREAS]
    rows.append(("OA1", "示例采油作业区（合成）", "C01", "work_area", "oil"))
    rows += [(sid, name, "OA1", "station", "oil") for sid, name in _STATION_NAMES.items()]
    well = 1
    for sid, n in TRUTH["structure"]["stations"].items():
        for _ in range(n):
            rows.append((f"W{well:02d}", f"示例{well}号井", sid, "well", "oil"))
            well += 1
    return pd.DataFrame(rows, columns=["unit_id", "name", "parent_id", "level", "sector"])


def build_groups(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Party groups of the power work areas and their members.

    Returns
    -------
    groups : DataFrame
        group_id, unit_id, name, members, leader_id, founded, plus the hidden
        ``engagement`` and ``area_effect`` columns (not written to disk).
    members : DataFrame
        member_id, group_id, is_leader.
    """
    lo, hi = TRUTH["structure"]["groups_per_area"]
    n_per_area = rng.integers(lo, hi + 1, size=len(_AREAS))
    area_effect = rng.normal(0.0, TRUTH["area_sd"], size=len(_AREAS))
    unit_id, name, a_eff = [], [], []
    for k, (uid, _, teams) in enumerate(_AREAS):
        for team in teams[: n_per_area[k]]:
            unit_id.append(uid)
            name.append(f"{team}党小组")
            a_eff.append(area_effect[k])
    n = len(unit_id)
    mlo, mhi = TRUTH["structure"]["members_per_group"]
    members = rng.integers(mlo, mhi + 1, size=n)
    first = np.concatenate([[0], np.cumsum(members)[:-1]]) + 1
    founded = (np.datetime64("2005-01-01") + rng.integers(0, 3650, size=n)).astype("datetime64[D]")
    groups = pd.DataFrame({
        "group_id": [f"G{i + 1:03d}" for i in range(n)],
        "unit_id": unit_id,
        "name": name,
        "members": members,
        "leader_id": [f"M{f:04d}" for f in first],
        "founded": founded.astype(str),
        "engagement": rng.normal(0.0, TRUTH["engagement_sd"], size=n),
        "area_effect": a_eff,
    })
    gid = np.repeat(groups["group_id"].to_numpy(), members)
    pos = np.arange(members.sum()) - np.repeat(first - 1, members)
    mem = pd.DataFrame({
        "member_id": [f"M{i + 1:04d}" for i in range(int(members.sum()))],
        "group_id": gid,
        "is_leader": pos == 0,
    })
    return groups, mem


def adoption_index(groups: pd.DataFrame) -> np.ndarray:
    """Month index (0 = first study month) of post adoption per group; large if never."""
    start = np.datetime64(TRUTH["study_window"]["start"], "M")
    out = np.full(len(groups), 10_000, dtype=np.int64)
    for k, uid in enumerate(groups["unit_id"]):
        when = TRUTH["adoption"].get(uid)
        if when is not None:
            out[k] = int((np.datetime64(when, "M") - start).astype(int))
    return out


def build_posts(rng: np.random.Generator, groups: pd.DataFrame,
                members: pd.DataFrame) -> pd.DataFrame:
    """Demonstration posts: 1-2 per group from the area's adoption month on.

    A share of posts ends (the member moves on) and is replaced the next day by a
    post held by another member of the same group.
    """
    end_window = np.datetime64(TRUTH["study_window"]["end"], "M") + 1
    plo, phi = TRUTH["posts_per_group"]
    rows = []
    for g in groups.itertuples(index=False):
        when = TRUTH["adoption"].get(g.unit_id)
        if when is None:
            continue
        month = np.datetime64(when, "M")
        ids = members.loc[members["group_id"] == g.group_id, "member_id"].to_numpy()
        k = int(rng.integers(plo, phi + 1))
        chosen = rng.choice(ids, size=min(k + 1, len(ids)), replace=False)
        day = month.astype("datetime64[D]") + int(rng.integers(0, 10))
        types = rng.choice(_POWER_POSTS, size=k, replace=False)
        for j in range(k):
            end = None
            if rng.random() < TRUTH["post_end_share"] and len(chosen) > k:
                span = int((end_window.astype("datetime64[D]") - day).astype(int))
                end = day + int(rng.integers(180, max(181, span - 30)))
            rows.append((g.group_id, str(chosen[j]), str(types[j]), str(day),
                         "" if end is None else str(end)))
            if end is not None:
                rows.append((g.group_id, str(chosen[k]), str(types[j]), str(end + 1), ""))
    posts = pd.DataFrame(rows, columns=["group_id", "member_id", "post_type", "start", "end"])
    return posts.sort_values(["group_id", "start", "member_id"], ignore_index=True)
