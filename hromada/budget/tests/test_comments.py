"""Comments on a budget project (hromada/budget/comment_targets.py)."""

from hromada.budget.tests.factories import make_cycle
from hromada.budget.tests.helpers_projects import draft, submitted
from hromada.comments.models import Comment
from hromada.notify.models import Notification


def test_residents_discuss_a_public_project_and_its_author_is_told(
    client, hromada, resident, django_capture_on_commit_callbacks
):
    from hromada.accounts.tests.factories import verified_user

    cycle = make_cycle(hromada, residence="any")
    author = verified_user()
    project = submitted(cycle, author)
    url = f"/budget/projects/{project.public_id}/"
    client.force_login(resident)
    assert "Ваш коментар" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/comments/budget.project/{project.public_id}/post", {"body": "А хто доглядатиме сквер?"}
        )
    comment = Comment.objects.get()
    assert response["Location"] == f"{url}#comment-{comment.public_id}"
    assert "А хто доглядатиме сквер?" in client.get(url).content.decode()
    assert Notification.objects.get(kind="comments.new").user == author
    hidden = draft(cycle, author)
    response = client.post(f"/comments/budget.project/{hidden.public_id}/post", {"body": "Чернетка."})
    assert response.status_code == 404
    assert Comment.objects.count() == 1
