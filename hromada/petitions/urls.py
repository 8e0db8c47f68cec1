from django.urls import path

from . import views, views_authoring

app_name = "petitions"
urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views_authoring.petition_new, name="new"),
    path("mine/", views_authoring.my_petitions, name="mine"),
    path("similar", views_authoring.similar, name="similar"),
    path("coauthor/<str:token>/", views_authoring.coauthor_accept, name="coauthor_accept"),
    path("feed.atom", views.PetitionFeed(), name="feed"),
    path("signed/", views.my_signatures, name="signed"),
    path("<str:public_id>/", views.petition_detail, name="detail"),
    path("<str:public_id>/count", views.petition_count, name="count"),
    path("<str:public_id>/signers", views.petition_signers, name="signers"),
    path("<str:public_id>/sign", views.petition_sign, name="sign"),
    path("<str:public_id>/files/<int:attachment_id>", views.attachment, name="attachment"),
    path(
        "<str:public_id>/files/<int:attachment_id>/thumbnail",
        views.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("<str:public_id>/follow", views.petition_follow, name="follow"),
    path("<str:public_id>/card.png", views.petition_card, name="card"),
    path("<str:public_id>/qr.svg", views.petition_qr, name="qr"),
    path("<str:public_id>/poster", views.petition_poster, name="poster"),
    path("<str:public_id>/edit/", views_authoring.petition_edit, name="edit"),
    path("<str:public_id>/preview/", views_authoring.petition_preview, name="preview"),
    path("<str:public_id>/submit", views_authoring.petition_submit_draft, name="submit"),
    path("<str:public_id>/withdraw/", views_authoring.petition_withdraw, name="withdraw"),
    path("<str:public_id>/copy", views_authoring.petition_copy, name="copy"),
    path("<str:public_id>/delete/", views_authoring.petition_delete_draft, name="delete"),
    path("<str:public_id>/coauthors/", views_authoring.petition_coauthors, name="coauthors"),
    path("<str:public_id>/answer-document", views.answer_document, name="answer_document"),
]
