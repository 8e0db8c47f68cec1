"""The draft act's text: paste-and-split with real-looking Ukrainian drafts, editing one
paragraph at a time, unique numbers with a friendly error, permissions, drafts only."""

from __future__ import annotations

import pytest

from hromada.accounts.tests.factories import role_matrix
from hromada.consultations.models import Paragraph
from hromada.consultations.services import paragraphs as svc
from hromada.consultations.services.paragraphs import paragraphs_split
from hromada.core.errors import DomainError

from .factories import make_consultation

pytestmark = pytest.mark.django_db

REGULATION = """ПОЛОЖЕННЯ
про громадський бюджет Тестової міської територіальної громади

1. Загальні положення
1.1. Це Положення визначає порядок
подання проєктів.
1.2. Громадський бюджет — частина бюджету громади на 2025 рік,
затверджена радою.
2. Подання проєктів
2.1. Проєкти подають:
1) мешканці громади;
2) громадські організації.
2.1.1 Подання відбувається онлайн.
"""

STATUTE = """Розділ I. ЗАГАЛЬНІ ПОЛОЖЕННЯ
Стаття 1. Визначення термінів
1. У цьому Статуті терміни вживаються в такому значенні:
а) громада — жителі, об'єднані спільним проживанням;
2. Інші терміни вживаються у значенні, наведеному в законах.
Стаття 2. Сфера дії
Цей Статут поширюється на всі органи місцевого самоврядування.
РОЗДІЛ II
ПРИКІНЦЕВІ ПОЛОЖЕННЯ
Стаття 3. Набрання чинності
Статут набирає чинності з дня оприлюднення.
"""

RULES = """Відповідно до статті 26 Закону України «Про місцеве самоврядування в Україні» міська рада
ВИРІШИЛА:
I. Загальні положення
1. Правила благоустрою діють на всій території громади.
2. Власники й користувачі зобов'язані:
- прибирати прилеглу територію;
- косити траву.
II. Відповідальність
3. За порушення Правил настає відповідальність згідно із законом.
"""


def _shape(text):
    return [(p.number, p.heading) for p in paragraphs_split(text)]


def test_a_regulation_splits_by_its_decimal_numbers():
    items = paragraphs_split(REGULATION)
    assert _shape(REGULATION) == [
        ("Преамбула", False),
        ("1", True),
        ("1.1", False),
        ("1.2", False),
        ("2", True),
        ("2.1", False),
        ("2.1.1", False),
    ]
    assert items[0].text.startswith("ПОЛОЖЕННЯ\nпро громадський бюджет")
    assert items[2].text == "Це Положення визначає порядок\nподання проєктів."
    # "2025 рік," in the middle of a line and "1)" sub-items stay in their paragraph.
    assert "2025 рік" in items[3].text and items[5].text.endswith("2) громадські організації.")


def test_a_statute_has_sections_articles_and_their_parts():
    items = paragraphs_split(STATUTE)
    assert _shape(STATUTE) == [
        ("Розділ I", True),
        ("Стаття 1", True),
        ("Стаття 1 ч. 1", False),
        ("Стаття 1 ч. 2", False),
        ("Стаття 2", False),
        ("РОЗДІЛ II", True),
        ("Стаття 3", False),
    ]
    assert items[0].text == "ЗАГАЛЬНІ ПОЛОЖЕННЯ"
    assert items[5].text == "ПРИКІНЦЕВІ ПОЛОЖЕННЯ"
    assert items[4].text == "Сфера дії\nЦей Статут поширюється на всі органи місцевого самоврядування."


def test_roman_sections_and_a_preamble():
    items = paragraphs_split(RULES)
    assert _shape(RULES) == [
        ("Преамбула", False),
        ("I", True),
        ("1", False),
        ("2", False),
        ("II", True),
        ("3", False),
    ]
    assert items[0].text.endswith("ВИРІШИЛА:")
    assert items[3].text.count("\n") == 2


def test_paste_replaces_the_text_and_keeps_order(hromada):
    consultation = make_consultation(hromada, kind="discussion", publish=False, questions=False)
    actor = consultation.created_by
    svc.paragraphs_replace(consultation=consultation, actor=actor, text=REGULATION)
    svc.paragraphs_replace(consultation=consultation, actor=actor, text=STATUTE)
    rows = list(consultation.paragraphs.order_by("order"))
    assert [p.order for p in rows] == list(range(1, 8))
    assert rows[0].number == "Розділ I" and rows[0].heading
    # Split again, the plain text gives the same paragraphs.
    again = paragraphs_split(svc.paragraphs_text(consultation))
    assert [(p.number, p.text) for p in again] == [(p.number, p.text) for p in rows]


def test_duplicate_numbers_are_named_with_their_lines(hromada):
    consultation = make_consultation(hromada, kind="discussion", publish=False, questions=False)
    with pytest.raises(DomainError) as exc:
        svc.paragraphs_replace(
            consultation=consultation,
            actor=consultation.created_by,
            text="1. Перше.\n2. Друге.\n1. Знову перше.",
        )
    assert exc.value.code == "number_taken" and exc.value.field == "text"
    assert "«1»" in str(exc.value.message) and "1 і 3" in str(exc.value.message)
    assert not consultation.paragraphs.exists()
    with pytest.raises(DomainError) as exc:
        svc.paragraphs_replace(consultation=consultation, actor=consultation.created_by, text="  \n")
    assert exc.value.code == "text_required"


def test_edit_add_delete_and_reorder(hromada):
    consultation = make_consultation(hromada, kind="discussion", publish=False)
    actor = consultation.created_by
    first, p11, p12 = consultation.paragraphs.order_by("order")
    added = svc.paragraph_add(
        consultation=consultation, actor=actor, number="1.1.1", text="Новий.", after=p11
    )
    assert [p.number for p in consultation.paragraphs.order_by("order")] == ["1", "1.1", "1.1.1", "1.2"]
    with pytest.raises(DomainError) as exc:
        svc.paragraph_update(paragraph=added, actor=actor, number="1.2", text="Клон.")
    assert exc.value.code == "number_taken" and exc.value.field == "number"
    assert Paragraph.objects.get(pk=added.pk).number == "1.1.1"
    svc.paragraph_update(paragraph=added, actor=actor, number="1.3.", text="Змінений.")
    svc.paragraph_move(paragraph=added, actor=actor, direction="down")
    assert [p.number for p in consultation.paragraphs.order_by("order")] == ["1", "1.1", "1.2", "1.3"]
    svc.paragraph_move(paragraph=first, actor=actor, direction="up")  # at the top: nothing moves
    svc.paragraph_delete(paragraph=p11, actor=actor)
    rows = list(consultation.paragraphs.order_by("order"))
    assert [(p.order, p.number) for p in rows] == [(1, "1"), (2, "1.2"), (3, "1.3")]


def test_published_text_is_frozen(hromada):
    consultation = make_consultation(hromada, kind="discussion")
    paragraph = consultation.paragraphs.first()
    with pytest.raises(DomainError) as exc:
        svc.paragraph_update(paragraph=paragraph, actor=consultation.created_by, number="9", text="x")
    assert exc.value.code == "not_draft"
    with pytest.raises(DomainError):
        svc.paragraphs_replace(consultation=consultation, actor=consultation.created_by, text="1. Новий.")
    assert consultation.paragraphs.count() == 3


def test_only_managers_set_the_text(hromada, other_hromada):
    consultation = make_consultation(hromada, kind="discussion", publish=False)
    for name, actor in role_matrix(hromada, other_hromada).items():
        allowed = name in ("admin", "officer")
        try:
            svc.paragraphs_replace(consultation=consultation, actor=actor, text=f"1. Текст від {name}.")
        except DomainError as exc:
            assert not allowed, name
            assert exc.code == "forbidden"
            assert consultation.paragraphs.count() in (1, 3)
        else:
            assert allowed, name
            assert consultation.paragraphs.get().text == f"Текст від {name}."
