"""Translations: pages follow the visitor's language, and the committed catalogues are complete.

Each app keeps its own catalogue in hromada/<app>/locale/<lang>/LC_MESSAGES/: the messages of the
app's Python files and templates. The project's locale/ (LOCALE_PATHS) keeps only what belongs to no
app: templates/base.html and config/. `make messages` (scripts/messages) refreshes them all from the
code and compiles them. A message two apps use is in both catalogues, and must read the same in both
(Django merges the catalogues into one, so one of the two would silently win). Ukrainian is the source
language, so a uk catalogue only carries the three Ukrainian plural forms; an en catalogue translates
every message. The compiled .mo files are committed, so these tests also check that they match the
.po files (a forgotten `compilemessages` would otherwise ship stale English).
"""

import gettext
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext

BASE = Path(settings.BASE_DIR)
PROJECT_LOCALE = BASE / "locale"
APP_LOCALES = sorted((BASE / "hromada").glob("*/locale"))
LOCALES = [PROJECT_LOCALE, *APP_LOCALES]
LANGS = ("en", "uk")
UK_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")
KERNEL = {"accounts", "api", "core", "ledger", "notify", "tenancy"}
# Modules this run leaves out of INSTALLED_APPS (config/settings.py): their catalogues
# stay on disk, and are checked as files, but Django does not load them.
LEFT_OUT = {label.strip() for label in os.environ.get("TEST_WITHOUT", "").split(",") if label.strip()}


def _name(locale_dir: Path) -> str:
    return "project" if locale_dir == PROJECT_LOCALE else locale_dir.parent.name


CATALOGUES = [pytest.param(locale_dir, id=_name(locale_dir)) for locale_dir in LOCALES]


# --- a small PO reader (no third-party dependency) ----------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[dict]:
    """Entries as dicts: flags (set), refs (source files), ctxt, id, plural, strs ({index: text}).
    Entries are separated by blank lines, as the gettext tools write them; obsolete entries (#~)
    are skipped. The header is the entry whose id is ""."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"flags": set(), "refs": set(), "ctxt": None, "id": None, "plural": None, "strs": {}}
        field = None
        for line in block.strip().splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#:"):
                entry["refs"].update(ref.rsplit(":", 1)[0] for ref in line[2:].split())
            elif line.startswith("#"):
                continue
            elif match := _KEYWORD.match(line):
                keyword, index, text = match.group(1), match.group(2), _unescape(match.group(3))
                if keyword.startswith("msgstr"):
                    field = ("strs", int(index or 0))
                    entry["strs"][field[1]] = text
                else:
                    field = {"msgctxt": ("ctxt",), "msgid": ("id",), "msgid_plural": ("plural",)}[keyword]
                    entry[field[0]] = text
            else:
                match = _CONTINUATION.match(line)
                assert match and field, f"{path}: cannot parse line {line!r}"
                if field[0] == "strs":
                    entry["strs"][field[1]] += _unescape(match.group(1))
                else:
                    entry[field[0]] += _unescape(match.group(1))
        if entry["id"] is not None:
            entries.append(entry)
    return entries


def catalogue(locale_dir: Path, lang: str) -> tuple[dict, list[dict]]:
    entries = read_po(locale_dir / lang / "LC_MESSAGES" / "django.po")
    header = next(e for e in entries if e["id"] == "" and e["ctxt"] is None)
    return header, [e for e in entries if e is not header]


def all_entries(lang: str, locales: list[Path] = LOCALES) -> list[tuple[str, dict]]:
    return [(_name(locale_dir), e) for locale_dir in locales for e in catalogue(locale_dir, lang)[1]]


def loaded_locales() -> list[Path]:
    """The catalogues Django loads: the project's and those of the installed apps."""
    installed = {Path(app.path) for app in apps.get_app_configs()}
    return [d for d in LOCALES if d == PROJECT_LOCALE or d.parent in installed]


def header_fields(header: dict) -> dict:
    return dict(line.split(": ", 1) for line in header["strs"][0].splitlines() if ": " in line)


def test_po_reader_handles_multiline_plural_and_context_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1 t/b.html:2\n#, fuzzy, python-format\nmsgid ""\n"Довгий %(n)s "\n"рядок"\n'
        'msgstr "Long %(n)s line"\n\n'
        'msgctxt "month"\nmsgid "Травень"\nmsgstr "May"\n\n'
        'msgid "%(n)s день"\nmsgid_plural "%(n)s днів"\nmsgstr[0] "%(n)s day"\nmsgstr[1] ""\n\n'
        '#~ msgid "Старе"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )
    header, long, month, days = read_po(po)
    assert header["id"] == "" and header["strs"][0] == "Language: en\n"
    assert long["id"] == "Довгий %(n)s рядок" and long["flags"] == {"fuzzy", "python-format"}
    assert long["refs"] == {"a.py", "t/b.html"}
    assert (month["ctxt"], month["strs"]) == ("month", {0: "May"})
    assert days["plural"] == "%(n)s днів" and days["strs"] == {0: "%(n)s day", 1: ""}


# --- the catalogues -------------------------------------------------------------------------------


def test_every_app_catalogue_is_loaded_by_django():
    """Django reads an app's locale/ only for an installed app, and the project's via LOCALE_PATHS."""
    installed = {Path(app.path) for app in apps.get_app_configs()}
    assert KERNEL <= {_name(d) for d in APP_LOCALES}
    assert [d.parent for d in APP_LOCALES if d.parent not in installed and _name(d) not in LEFT_OUT] == []
    assert [d for d in loaded_locales() if _name(d) in LEFT_OUT] == []
    assert PROJECT_LOCALE in [Path(p) for p in settings.LOCALE_PATHS]
    for locale_dir in LOCALES:
        assert sorted(p.name for p in locale_dir.iterdir() if p.is_dir()) == sorted(LANGS), locale_dir


@pytest.mark.parametrize("locale_dir", CATALOGUES)
def test_each_catalogue_holds_the_messages_of_its_own_files(locale_dir):
    """An app's catalogue carries its own files' messages; the project's, only the files of no app."""
    for lang in LANGS:
        _, entries = catalogue(locale_dir, lang)
        assert entries, f"{locale_dir}/{lang} has no messages"
        refs = {ref for e in entries for ref in e["refs"]}
        assert refs
        if locale_dir == PROJECT_LOCALE:
            assert sorted(ref for ref in refs if ref.startswith("hromada/")) == []
        else:
            home = f"hromada/{_name(locale_dir)}/"
            assert sorted(ref for ref in refs if not ref.startswith(home) or "/tests/" in ref) == []


@pytest.mark.parametrize("locale_dir", CATALOGUES)
def test_english_catalogue_translates_every_message_and_nothing_is_fuzzy(locale_dir):
    header, entries = catalogue(locale_dir, "en")
    assert "fuzzy" not in header["flags"]
    assert header_fields(header)["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    fuzzy = [e["id"] for e in entries if "fuzzy" in e["flags"]]
    assert fuzzy == []
    untranslated = [e["id"] for e in entries if not all(e["strs"].values())]
    assert untranslated == []
    wrong_forms = [e["id"] for e in entries if e["plural"] is not None and sorted(e["strs"]) != [0, 1]]
    assert wrong_forms == []


@pytest.mark.parametrize("locale_dir", CATALOGUES)
def test_english_translations_keep_every_placeholder(locale_dir):
    _, entries = catalogue(locale_dir, "en")
    for e in entries:
        expected = sorted(PLACEHOLDER.findall(e["plural"] or e["id"]))
        for text in e["strs"].values():
            assert sorted(PLACEHOLDER.findall(text)) == expected, e["id"]
        assert ("<" in e["id"]) == ("<" in e["strs"][0]), e["id"]


@pytest.mark.parametrize("locale_dir", CATALOGUES)
def test_ukrainian_catalogue_has_three_plural_forms_for_every_plural_message(locale_dir):
    header, entries = catalogue(locale_dir, "uk")
    assert "fuzzy" not in header["flags"]
    assert header_fields(header)["Plural-Forms"] == UK_PLURAL_FORMS
    assert [e["id"] for e in entries if "fuzzy" in e["flags"]] == []
    for e in entries:
        if e["plural"] is None:
            continue
        assert sorted(e["strs"]) == [0, 1, 2], e["id"]
        assert all(e["strs"].values()), e["id"]
        assert e["strs"][0] == e["id"], e["id"]
        for text in e["strs"].values():
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(e["id"])), e["id"]
    # Ukrainian is the source: singular messages need no translation in the uk catalogue.
    assert all(e["strs"][0] in ("", e["id"]) for e in entries if e["plural"] is None)


@pytest.mark.parametrize("lang", LANGS)
def test_a_message_in_several_catalogues_reads_the_same_in_each(lang):
    seen: dict[tuple, dict[str, dict]] = {}
    for name, e in all_entries(lang):
        seen.setdefault((e["ctxt"], e["id"], e["plural"]), {})[name] = e["strs"]
    conflicts = {key[1]: found for key, found in seen.items() if len({repr(s) for s in found.values()}) > 1}
    assert conflicts == {}
    assert len(seen) > 100
    assert any(plural for _, _, plural in seen)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("locale_dir", CATALOGUES)
def test_committed_mo_files_match_the_po_files(locale_dir, lang):
    _, entries = catalogue(locale_dir, lang)
    with open(locale_dir / lang / "LC_MESSAGES" / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for e in entries:
        if e["plural"] is None:
            if not e["strs"][0]:
                continue
            if e["ctxt"] is None:
                got = compiled.gettext(e["id"])
            else:
                got = compiled.pgettext(e["ctxt"], e["id"])
            assert got == e["strs"][0], f"stale .mo for {e['id']!r}: run `make messages`"
        else:
            for n, index in ((1, 0), (2, 1), (5, len(e["strs"]) - 1)):
                got = compiled.ngettext(e["id"], e["plural"], n)
                assert got == e["strs"][index], f"stale .mo for {e['id']!r}: run `make messages`"


@pytest.mark.parametrize("lang", LANGS)
def test_django_translates_every_message_of_every_catalogue(lang):
    """What the pages get: Django's merged catalogue gives each loaded catalogue's translation."""
    wrong = []
    with translation.override(lang):
        for name, e in all_entries(lang, loaded_locales()):
            if e["plural"] is None:
                if not e["strs"][0]:  # a Ukrainian singular: the msgid is the text
                    continue
                if e["ctxt"] is None:
                    got = translation.gettext(e["id"])
                else:
                    got = translation.pgettext(e["ctxt"], e["id"])
                if got != e["strs"][0]:
                    wrong.append((name, e["id"], got))
            else:
                for n, index in ((1, 0), (2, 1), (5, len(e["strs"]) - 1)):
                    got = translation.ngettext(e["id"], e["plural"], n)
                    if got != e["strs"][index]:
                        wrong.append((name, e["id"], n, got))
    assert wrong == []


def test_ukrainian_plural_forms_follow_the_grammar():
    def unread(n):
        return ngettext("%(n)s непрочитане сповіщення", "%(n)s непрочитаних сповіщень", n) % {"n": n}

    with translation.override("uk"):
        assert [unread(n) for n in (1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111)] == [
            "1 непрочитане сповіщення",
            "2 непрочитані сповіщення",
            "4 непрочитані сповіщення",
            "5 непрочитаних сповіщень",
            "11 непрочитаних сповіщень",
            "12 непрочитаних сповіщень",
            "21 непрочитане сповіщення",
            "22 непрочитані сповіщення",
            "25 непрочитаних сповіщень",
            "101 непрочитане сповіщення",
            "111 непрочитаних сповіщень",
        ]
    with translation.override("en"):
        assert [unread(n) for n in (1, 2, 21)] == [
            "1 unread notification",
            "2 unread notifications",
            "21 unread notifications",
        ]


# --- pages (the petitions pages in both languages: hromada/petitions/tests/test_with_kernel.py) ------


def _page(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_pages_render_in_english_with_the_language_cookie(client, hromada):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    home = _page(client, "/")
    assert '<html lang="en">' in home
    assert "Digital services of the hromada for" in home and "Skip to content" in home
    assert "Цифрові послуги громади" not in home and "Перейти до змісту" not in home
    assert 'hreflang="uk">Українська</a>' in home

    login = _page(client, "/accounts/login/")
    assert "Sign in" in login and "Forgot your password?" in login and "Password" in login
    assert "Забули пароль?" not in login and "Пароль" not in login


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cookie, headers",
    [
        (None, {}),
        ("uk", {}),
        # The state-language law: the browser's Accept-Language alone does not switch the site.
        (None, {"HTTP_ACCEPT_LANGUAGE": "en"}),
        ("uk", {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}),
        ("xx", {"HTTP_ACCEPT_LANGUAGE": "en"}),
    ],
)
def test_pages_render_in_ukrainian_by_default_and_with_the_uk_cookie(client, hromada, cookie, headers):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    home = _page(client, "/", **headers)
    assert '<html lang="uk">' in home
    assert "Цифрові послуги громади для" in home and "Перейти до змісту" in home
    assert "Digital services" not in home and "Skip to content" not in home
    assert 'hreflang="en">English</a>' in home

    login = _page(client, "/accounts/login/", **headers)
    assert "Забули пароль?" in login and "Пароль" in login
    assert "Forgot your password?" not in login


@pytest.mark.django_db
def test_english_cookie_wins_over_a_ukrainian_browser(client, hromada):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Forgot your password?" in _page(client, "/accounts/login/", HTTP_ACCEPT_LANGUAGE="uk")
    assert "Digital services of the hromada for" in _page(client, "/", HTTP_ACCEPT_LANGUAGE="uk")


@pytest.mark.django_db
def test_language_link_switches_the_site_to_english_and_back(client, hromada):
    home = _page(client, "/accounts/login/")
    link = re.search(r'href="([^"]+)"[^>]*hreflang="en"', home).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Forgot your password?" in _page(client, "/accounts/login/")

    english = _page(client, "/accounts/login/")
    link = re.search(r'href="([^"]+)"[^>]*hreflang="uk"', english).group(1).replace("&amp;", "&")
    client.get(link)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uk"
    assert "Забули пароль?" in _page(client, "/accounts/login/")


@pytest.mark.django_db
def test_page_cache_keeps_the_languages_apart(client, settings, hromada):
    settings.PAGE_CACHE_SECONDS = 60  # "/" and the sample module's /sample/ are cached
    assert "Перейти до змісту" in _page(client, "/sample/")
    assert "Цифрові послуги громади для" in _page(client, "/")
    client.get("/lang/en/?next=/")
    assert "Skip to content" in _page(client, "/sample/")
    assert "Digital services of the hromada for" in _page(client, "/")
    client.get("/lang/uk/?next=/")
    assert "Перейти до змісту" in _page(client, "/sample/")
    assert "Цифрові послуги громади для" in _page(client, "/")
