from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "hromada.comments"
    label = "comments"
