from hromada.comments.tests.helpers import post


def test_the_thread_renders_on_the_target_page(client, hromada, thing, author):
    comment = post(hromada, thing, author)
    client.force_login(author)
    response = client.get(f"/sample/?thing={thing.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="comment-{comment.public_id}"' in html
    assert "Гарна ідея" in html
