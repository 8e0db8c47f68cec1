"""In Chromium: the map of problem reports with more reports in view than the threshold
draws the clusters the server counted — buttons with the count and a label read out —
and Enter on a focused cluster zooms the map to its reports; then the points show."""

import pytest

from e2e.conftest import axe_serious, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    from hromada.appeals import public_selectors as ps
    from hromada.appeals.tests.test_map_clusters import seed
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    # Two crowds far apart, so the first view holds clusters with room between them.
    seed(hromada, ps.CLUSTER_THRESHOLD, spread=0.05)
    seed(hromada, 60, start=1000, spread=1.0)
    return hromada


def test_clusters_are_buttons_that_zoom_on_enter(new_page, world):
    page = new_page(width=1280, height=900)
    page.goto("/appeals/map/")
    page.wait_for_selector("#appeals-map[data-map-settled]")
    cluster = page.locator("#appeals-map .map-cluster-counted").first
    cluster.wait_for()
    assert cluster.get_attribute("role") == "button"
    assert cluster.get_attribute("tabindex") == "0"
    label = cluster.get_attribute("aria-label")
    count = int(cluster.get_attribute("data-cluster"))
    assert count > 1 and label.startswith(f"{count} ") and "наблизити" in label
    assert cluster.inner_text().strip() == str(count)
    shot(page, "appeals-map-clusters-1280")
    assert axe_serious(page) == []

    before = page.evaluate("document.getElementById('appeals-map')._hromadaMap.map.getZoom()")
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.getElementById('appeals-map')._hromadaMap.map.getZoom() > {before}", timeout=10_000
    )
    # The keyboard stays in the map, and the zoomed view loads again (points or smaller clusters).
    assert page.evaluate("document.activeElement.id") == "appeals-map"
    page.wait_for_selector("#appeals-map .map-point, #appeals-map .map-cluster-counted")
