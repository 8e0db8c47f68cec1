"""Whatever a person types in the search box is an answer, never a 500 (PostgreSQL's
tsquery refuses an empty lexeme: a term of punctuation only used to make one)."""

import pytest

from hromada.petitions.tests.factories import collecting

pytestmark = pytest.mark.django_db

QUERIES = ["!", "'", "’", "-", "!!! ???", "''", "(", "a:", "&|!", "- вода", "вода !", "д'Арк", "*"]


@pytest.mark.parametrize("q", QUERIES)
def test_any_search_text_is_answered(client, hromada, q):
    collecting(hromada=hromada, title="Чиста вода для села Степового")
    assert client.get("/petitions/", {"q": q}).status_code == 200
    response = client.get("/api/v1/petitions", {"q": q})
    assert response.status_code == 200, response.content


def test_punctuation_next_to_a_word_still_finds_it(client, hromada):
    petition = collecting(hromada=hromada, title="Чиста вода для села Степового")
    body = client.get("/api/v1/petitions", {"q": "вода !"}).json()
    assert [item["id"] for item in body["items"]] == [str(petition.public_id)]
