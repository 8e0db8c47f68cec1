from django.utils import translation

from hromada.core import formats

NB = "\u00a0"


def test_numbers_group_thousands_per_language():
    with translation.override("uk"):
        assert formats.number(18400) == f"18{NB}400"
        assert formats.number(1234567) == f"1{NB}234{NB}567"
        assert formats.number(999) == "999"
        assert formats.number(5.75, 1) == "5,8"
    with translation.override("en"):
        assert formats.number(18400) == "18,400"


def test_file_sizes_use_one_unit_system():
    with translation.override("uk"):
        assert formats.filesize(12) == f"12{NB}Б"
        assert formats.filesize(340 * 1024) == f"340{NB}КБ"
        assert formats.filesize(int(5.7 * 1024 * 1024)) == f"5,7{NB}МБ"
        assert formats.filesize(5 * 1024 * 1024) == f"5{NB}МБ"
    with translation.override("en"):
        assert formats.filesize(int(5.7 * 1024 * 1024)) == f"5.7{NB}MB"


def test_template_filters_render(rf):
    from django.template import Context, Template

    with translation.override("uk"):
        out = Template("{% load hromada_format %}{{ n|num }} {{ b|filesize }}").render(
            Context({"n": 18400, "b": 2048})
        )
    assert out == f"18{NB}400 2{NB}КБ"
