from hromada.comments import services


def post(hromada, thing, author, body="Гарна ідея, підтримую.", parent=None):
    return services.comment_post(
        hromada=hromada,
        target_kind="sample.thing",
        target_key=str(thing.pk),
        author=author,
        body=body,
        parent=parent,
    )
