from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("receipt/", views.receipt, name="receipt"),
    path("receipt.json", views.receipt_json, name="receipt_json"),
    path("export.json", views.export, name="export"),
    path("sth.json", views.tree_head, name="tree_head"),
    path("feed.atom", views.TreeHeadFeed(), name="feed"),
    path("ledger_verify.py", views.verifier, name="verifier"),
]
