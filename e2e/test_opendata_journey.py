"""The open data journey in Chromium: an editor of a publisher creates a dataset,
uploads a CSV (loaded into the DataStore by the task backend the tests run
immediately), configures a bar chart in the console, previews and saves it, and
publishes; a visitor searches the portal, finds the dataset and sees the chart — an
SVG with its table — at phone width; axe-core on the public page."""

import pytest

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    "Район,Школа,Учнів\n"
    "Центральний,Ліцей №1,512\n"
    "Центральний,Гімназія «Надія»,230\n"
    "Північний,Школа №7,180\n"
    "Північний,Ліцей «Еврика»,410\n"
    "Південний,Школа №12,95\n"
    "Західний,Школа №3,300\n"
).encode()


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import staff_user
    from hromada.opendata import services
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    admin = staff_user(hromada, "admin")
    publisher = services.publisher_create(hromada, admin, name="osvita", title="Управління освіти")
    officer = staff_user(hromada, "officer")
    services.publisher_member_add(publisher, admin, officer)
    return {"hromada": hromada, "officer": officer}


def test_a_publisher_charts_a_csv_and_a_visitor_finds_it(new_page, world, tmp_path):
    from hromada.opendata.models import Chart, Dataset, Resource

    csv_path = tmp_path / "shkoly.csv"
    csv_path.write_bytes(CSV)

    # 1. The editor creates a dataset and uploads the CSV.
    editor = new_page(width=1280, height=900)
    login(editor, world["officer"].email)
    editor.goto("/staff/opendata/new/")
    assert editor.locator("#id_title").count() == 1, editor.content()[:3000]
    editor.locator("#id_title").fill("Учні шкіл громади")
    editor.locator("#id_name").fill("uchni-shkil")
    editor.locator("#id_notes").fill("Кількість учнів у кожній школі за районами.")
    editor.get_by_role("button", name="Створити чернетку").click()
    editor.wait_for_load_state()
    assert "Чернетку набору створено" in editor.content(), editor.content()[:3000]
    editor.get_by_role("link", name="Додати ресурс").click()
    editor.locator("#id_name").fill("Школи й учні")
    editor.locator("#id_upload").set_input_files(str(csv_path))
    editor.get_by_role("button", name="Додати").click()
    editor.wait_for_load_state()
    assert "Ресурс додано" in editor.content(), editor.content()[:3000]
    resource = Resource.objects.get(dataset__name="uchni-shkil")
    assert resource.datastore_active  # the load ran when the upload committed

    # 2. «Графіки»: a bar chart of pupils by district, previewed, then saved.
    editor.get_by_role("link", name="Графіки «Школи й учні»").click()
    editor.wait_for_load_state()
    editor.locator("#id_title").fill("Учні за районами")
    editor.locator("#id_kind").select_option("bar")
    editor.locator("#id_x").select_option("raion")
    editor.locator("#id_aggregate").select_option("sum")
    editor.locator("#id_y").select_option("uchniv")
    editor.get_by_role("button", name="Переглянути").click()
    editor.wait_for_load_state()
    assert "Попередній перегляд" in editor.content()
    assert editor.locator("svg.od-chart-svg").count() == 1 and not Chart.objects.exists()
    editor.get_by_role("button", name="Зберегти графік").click()
    editor.wait_for_load_state()
    assert "збережено" in editor.content(), editor.content()[:3000]
    assert Chart.objects.get().title == "Учні за районами"
    shot(editor, "opendata-01-console-chart")

    # 3. Publish.
    editor.goto("/staff/opendata/d/uchni-shkil/")
    editor.get_by_role("button", name="Оприлюднити").click()
    editor.wait_for_load_state()
    assert Dataset.objects.get(name="uchni-shkil").state == "published"

    # 4. A visitor on a phone searches the portal, finds the dataset and sees the chart.
    visitor = new_page()  # 412 × 915
    visitor.goto("/opendata/")
    visitor.get_by_role("searchbox", name="Пошук").fill("учні")
    visitor.get_by_role("button", name="Знайти").click()
    visitor.wait_for_load_state()
    visitor.get_by_role("link", name="Учні шкіл громади").click()
    visitor.wait_for_load_state()
    chart = visitor.get_by_role("img", name="Учні за районами")
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= 412 and box["height"] > 100  # fits the phone's width
    table = visitor.locator(
        "table", has=visitor.locator("caption", has_text="Числа графіка «Учні за районами»")
    )
    assert table.locator("tbody tr").count() == 4
    assert table.locator("tbody tr").first.inner_text().split() == ["Центральний", "742"]
    assert "742" in chart.inner_html()  # the value is printed in the drawing as well
    assert visitor.get_by_role("link", name="Завантажити як CSV — Учні за районами").count() == 1
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 412  # no sideways scrolling
    shot(visitor, "opendata-02-dataset-chart-phone")
    violations = axe_serious(visitor)
    assert not violations, violations
