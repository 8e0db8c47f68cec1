from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.json", views.export, name="export"),
    path("sth.json", views.tree_head, name="tree_head"),
    path("feed.atom", views.TreeHeadFeed(), name="feed"),
    path("ledger_verify.py", views.verifier, name="verifier"),
]
