"""Questionnaire exports of survey platforms, one profile per platform.

:func:`read_export` reads an export of 问卷星 (按序号 and 按文本), 腾讯问卷,
金数据, 问卷网 or a plain table with one column per question. The platform is
recognised by its metadata columns (:mod:`.profile`); question headers follow
one grammar (:mod:`.headers`); cells become typed answers (:mod:`.answers`);
labels of a text export become codes through the questionnaire spec or the
standard Likert label sets (:mod:`.labels`). Adding a platform means adding a
:class:`~grouplab.data.surveys.platforms.profile.Profile` to ``PROFILES``.
"""

from grouplab.data.surveys.platforms.profile import PLAIN, PROFILES, Profile
from grouplab.data.surveys.platforms.reader import detect_platform, read_export

__all__ = ["read_export", "detect_platform", "Profile", "PROFILES", "PLAIN"]
