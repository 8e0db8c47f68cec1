"""The official table's own examples (CMU Resolution No. 55 of 27.01.2010)."""

import pytest

from hromada.places.translit import transliterate

EXAMPLES = {
    "Алушта": "Alushta", "Борщагівка": "Borshchahivka", "Вишгород": "Vyshhorod", "Гадяч": "Hadiach",
    "Згорани": "Zghorany", "Ґалаґан": "Galagan", "Дон": "Don", "Рівне": "Rivne", "Єнакієве": "Yenakiieve",
    "Наталія": "Nataliia", "Житомир": "Zhytomyr", "Закарпаття": "Zakarpattia", "Медвин": "Medvyn",
    "Іршава": "Irshava", "Їжакевич": "Yizhakevych", "Кадиївка": "Kadyivka", "Йосипівка": "Yosypivka",
    "Стрий": "Stryi", "Олексій": "Oleksii", "Київ": "Kyiv", "Лебедин": "Lebedyn", "Миколаїв": "Mykolaiv",
    "Ніжин": "Nizhyn", "Одеса": "Odesa", "Полтава": "Poltava", "Ромни": "Romny", "Суми": "Sumy",
    "Тетерів": "Teteriv", "Ужгород": "Uzhhorod", "Фастів": "Fastiv", "Харків": "Kharkiv",
    "Біла Церква": "Bila Tserkva", "Чернівці": "Chernivtsi", "Шостка": "Shostka", "Гоща": "Hoshcha",
    "Русь": "Rus", "Юрій": "Yurii", "Корюківка": "Koriukivka", "Яготин": "Yahotyn", "Ічня": "Ichnia",
    "Знам'янка": "Znamianka", "Розгон": "Rozghon",
}  # fmt: skip


@pytest.mark.parametrize(("ukrainian", "latin"), EXAMPLES.items())
def test_the_official_examples(ukrainian, latin):
    assert transliterate(ukrainian) == latin


def test_every_apostrophe_is_dropped_and_keeps_the_letter_after_it_medial():
    for mark in "'’ʼ":
        assert transliterate(f"Знам{mark}янка") == "Znamianka"
