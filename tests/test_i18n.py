"""The gettext catalogs (app/locale): complete, in step with the code, placeholders alike, compiled, per session."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from app.i18n import LOCALE_DIR, has, t, translations

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("en", "zh")


def _po(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


def _messages(lang: str) -> dict[str, object]:
    return {m.id: m for m in _po(lang) if m.id}


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_is_translated_and_none_is_fuzzy(lang):
    messages = _messages(lang)
    assert len(messages) > 400
    assert [k for k, m in messages.items() if not str(m.string).strip()] == []
    assert [k for k, m in messages.items() if m.fuzzy] == []


def test_both_languages_have_the_same_keys_and_placeholders():
    en, zh = _messages("en"), _messages("zh")
    assert set(en) == set(zh)
    differ = {k: (_fields(en[k].string), _fields(zh[k].string)) for k in en if _fields(en[k].string) != _fields(zh[k].string)}
    assert differ == {}


def test_chinese_text_is_chinese():
    """Every Chinese label has Chinese in it, except researchers' column headers that are pure notation (CFI, Δχ², df)."""
    not_chinese = [k for k, m in _messages("zh").items()
                   if not any("\u4e00" <= ch <= "\u9fff" for ch in m.string) and k != "axis_scale"  # "{name}（1–5）"
                   and not k.startswith("lab_col_")]
    assert not_chinese == []


def test_catalogs_are_in_step_with_the_code():
    """Every key the code marks has a label, and every label is still used (`make i18n` keeps them so)."""
    method = "app.i18n.extract:extract_labels"
    found = {msg for _, _, msg, *_ in extract_from_dir(ROOT / "app", method_map=[("**.py", method)],
                                                      keywords={"t": None, "N_": None})}
    assert found - set(_messages("en")) == set(), "keys used in the code without a label: run `make i18n`"
    assert set(_messages("en")) - found == set(), "labels no code uses: run `make i18n`"


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalog_matches_its_source(lang):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.mo").open("rb") as fh:
        compiled = {m.id: m.string for m in read_mo(fh) if m.id}
    assert compiled == {k: m.string for k, m in _messages(lang).items()}, "stale .mo: run `make i18n`"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_msgfmt_check_is_clean(lang):
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    run = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "untranslated" not in run.stderr and "fuzzy" not in run.stderr and "warning" not in run.stderr, run.stderr


def test_language_is_per_call_never_process_wide():
    """Two sessions in two languages interleave: one translations object per language, nothing installed globally."""
    assert translations("zh") is translations("zh") and translations("zh") is not translations("en")
    assert t("nav_assess", "zh") == "企业自评" and t("nav_assess", "en") == "Self-assessment"
    assert t("nav_assess", "zh") == "企业自评"
    assert t("benchmark_real", "zh", label="L", n=5, date="2025") == "对标基准：L（n = 5，拟合于 2025）。"
    import builtins
    assert not hasattr(builtins, "_")


def test_an_unknown_key_fails_loudly():
    assert has("nav_assess") and not has("no_such_label")
    with pytest.raises(KeyError, match="no_such_label"):
        t("no_such_label", "zh")


def test_every_store_error_code_has_a_label_in_both_languages():
    """Each StoreError(message, code, **values) raised in db/ renders through the catalog as `store_{code}`, whose
    placeholders in both languages are the values the raise gives; only db/backup.py (the CLI's backup and restore)
    raises without a code."""
    import ast
    import string

    given: dict[str, set[str]] = {}  # code -> the value names one of its raises gives
    uncoded = []
    for path in sorted((ROOT / "db").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            names = {k.arg for k in node.keywords}
            if node.func.id == "StoreError" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                given.setdefault(node.args[1].value, names)
                assert given[node.args[1].value] == names, (path.name, node.lineno)
            elif node.func.id == "StoreError" and len(node.args) < 2 and path.name != "backup.py":
                uncoded.append(f"{path.name}:{node.lineno}")
            if node.func.id == "normalise_code" and isinstance(node.args[-1], ast.Constant):
                # db.codes words the kind of code into its own: bad_{kind}, with the text, length and alphabet
                given[f"bad_{node.args[-1].value.replace(' ', '_')}"] = {"text", "length", "alphabet"}
    assert uncoded == []
    assert {"unknown_firm_key", "bad_firm_key", "bad_join_code", "unknown_fit", "unknown_dataset", "xlsx_too_long"} <= set(given)
    assert [c for c in sorted(given) if not has(f"store_{c}")] == []
    for code, names in given.items():
        for lang in ("en", "zh"):
            text = translations(lang).gettext(f"store_{code}")
            assert {field for _, field, _, _ in string.Formatter().parse(text) if field} <= names, (code, lang)
            assert t(f"store_{code}", lang, **dict.fromkeys(names, "X"))


ALLOWED_LATIN = {"AIGC", "B2B", "B2C", "CSV", "XLSX", "PDF", "HTML", "SEM", "PLS", "CFI", "TLI", "RMSEA", "SRMR", "HTMT",
                 "AVE", "CR", "IPMA", "lavaan", "PROCESS", "Tian", "ICEB"}
"""Terms Chinese readers use as they are, and the cited author and conference (issue 12's allow-list)."""
RESEARCHER_PAGES = ("lab_", "cmp_", "ver_", "pool_", "act_", "prov_", "problem_")
"""The model lab (with its upload report) and versions pages keep researchers' notation (IO, SD, CI, UTF-8, HQD6)."""


def test_chinese_labels_carry_no_english_beyond_the_allow_list():
    import re
    found = {k: [w for w in re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}", "", m.string)) if w not in ALLOWED_LATIN]
             for k, m in _messages("zh").items() if not k.startswith(RESEARCHER_PAGES)}
    assert {k: words for k, words in found.items() if words} == {}


def test_every_recommendation_source_names_its_section_in_chinese():
    from app.i18n import source_text
    from cbec_core.recommendations import RECOMMENDATIONS
    for rec in RECOMMENDATIONS:
        zh = source_text(rec.source, "zh")
        author = rec.source.split("), ")[0] + ")"
        assert zh.startswith(author + "，") and any("\u4e00" <= ch <= "\u9fff" for ch in zh[len(author):]), zh
        assert source_text(rec.source, "en") == rec.source


def test_survey_problems_are_worded_in_chinese_from_their_codes():
    import pandas as pd

    from app.i18n import problem_text
    from cbec_core.survey import SurveyError, validate_survey
    from tests.conftest import simulate_survey

    bad = simulate_survey(12, seed=4).astype({"AIGC1": object, "region": object, "firm_size": float})
    bad.loc[2, "AIGC1"], bad.loc[3, "region"], bad.loc[4, "firm_size"] = "often", "north", 0
    with pytest.raises(SurveyError) as caught:
        validate_survey(bad, controls=True)
    problems = caught.value.problems
    assert {p.code for p in problems} == {"not_a_number", "not_allowed", "bad_control"}
    for p in problems:
        assert problem_text(p, "en") == p.message  # English stays the CLI's text
        zh = problem_text(p, "zh")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh) and "is not" not in zh, zh
    assert problem_text(problems[0], "zh") == "“often”不是数字：请填写 1 到 5 之间的整数"
    blank = simulate_survey(12, seed=4)
    blank.loc[5, "DC2"] = None
    excluded = validate_survey(pd.DataFrame(blank)).excluded
    assert [problem_text(p, "zh") for p in excluded] == ["缺少回答：该行不参与拟合"]
