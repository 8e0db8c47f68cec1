"""Comments on a petition (hromada/petitions/comment_targets.py): the page's thread,
open while the petition collects or is considered, closed once it is answered."""

from hromada.comments.models import Comment
from hromada.notify.models import Notification
from hromada.petitions.models import Status
from hromada.petitions.tests.factories import collecting


def test_residents_discuss_a_petition_on_its_page_and_the_author_is_told(
    client, hromada, resident, django_capture_on_commit_callbacks
):
    petition = collecting(hromada=hromada)
    url = f"/petitions/{petition.public_id}/"
    client.force_login(resident)
    assert "Ваш коментар" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/comments/petitions.petition/{petition.public_id}/post", {"body": "Підтримую, давно треба."}
        )
    comment = Comment.objects.get()
    assert response["Location"] == f"{url}#comment-{comment.public_id}"
    assert "Підтримую, давно треба." in client.get(url).content.decode()
    assert Notification.objects.get(kind="comments.new").user == petition.author
    petition.status = Status.ANSWERED
    petition.save(update_fields=["status"])
    html = client.get(url).content.decode()
    assert "обговорення закрито" in html and "Підтримую, давно треба." in html
    response = client.post(f"/comments/petitions.petition/{petition.public_id}/post", {"body": "Запізно."})
    assert response.status_code == 409
    assert Comment.objects.count() == 1


def test_a_petition_in_moderation_has_no_thread(client, hromada, resident):
    from hromada.petitions.tests.factories import PetitionFactory

    petition = PetitionFactory(hromada=hromada)
    client.force_login(resident)
    response = client.post(f"/comments/petitions.petition/{petition.public_id}/post", {"body": "Ще рано."})
    assert response.status_code == 404
    assert not Comment.objects.exists()
