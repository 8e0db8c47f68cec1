import datetime as dt
import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from hromada.accounts.tests.factories import IdentityFactory, UserFactory, verified_user
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification
from hromada.petitions import selectors, services
from hromada.petitions.models import Petition, RejectionReason, Signature, Status
from hromada.petitions.selectors import petition_settings
from hromada.petitions.services import signing
from hromada.petitions.tests.factories import CategoryFactory, PetitionFactory, collecting, route_to

pytestmark = pytest.mark.django_db

TEXT = "Просимо встановити дитячий майданчик у сквері біля школи №3, бо діти граються на дорозі."


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def _kinds(hromada):
    return list(LedgerEntry.objects.filter(hromada=hromada).order_by("id").values_list("kind", flat=True))


# --- submit -----------------------------------------------------------------------------------


def test_submit_creates_petition_in_moderation_with_the_hromadas_rules(hromada, resident):
    category = CategoryFactory(hromada=hromada)
    petition = services.petition_submit(
        hromada=hromada, author=resident, title="Дитячий майданчик у сквері", text=TEXT, category=category
    )
    assert petition.status == Status.MODERATION
    assert petition.number == 1
    assert petition.threshold == petition_settings(hromada=hromada).threshold
    assert petition.moderation_due >= timezone.localdate()
    second = services.petition_submit(
        hromada=hromada, author=resident, title="Ще один майданчик у дворі", text=TEXT, category=category
    )
    assert second.number == 2


def test_submit_with_attachments_checks_type_and_size(hromada, resident):
    category = CategoryFactory(hromada=hromada)
    good = [
        services.Upload(SimpleUploadedFile("scheme.png", _png(), "image/png"), alt_text="Схема скверу"),
        SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%...", "application/pdf"),
    ]
    petition = services.petition_submit(
        hromada=hromada,
        author=resident,
        title="Дитячий майданчик у сквері",
        text=TEXT,
        category=category,
        files=good,
    )
    assert [a.content_type for a in petition.attachments.all()] == ["image/png", "application/pdf"]
    assert petition.attachments.first().original_name == "scheme.png"
    assert petition.attachments.first().alt_text == "Схема скверу"

    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(DomainError) as err:
        services.petition_submit(
            hromada=hromada,
            author=resident,
            title="Дитячий майданчик у сквері",
            text=TEXT,
            category=category,
            files=[fake],
        )
    assert err.value.code == "file_type_not_allowed"
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1), "application/pdf")
    with pytest.raises(DomainError) as err:
        services.petition_submit(
            hromada=hromada,
            author=resident,
            title="Дитячий майданчик у сквері",
            text=TEXT,
            category=category,
            files=[big],
        )
    assert err.value.code == "file_too_large"
    assert Petition.objects.count() == 1


@pytest.mark.parametrize(
    ("title", "text", "code"),
    [
        ("", TEXT, "title_required"),
        ("   ", TEXT, "title_required"),
        ("Коротко", TEXT, "title_too_short"),
        ("Д" * 201, TEXT, "title_too_long"),
        ("Дитячий майданчик у сквері", "Мало", "text_too_short"),
        ("Дитячий майданчик у сквері", "т" * 10_001, "text_too_long"),
    ],
)
def test_submit_rejects_bad_input_with_specific_codes(hromada, resident, title, text, code):
    category = CategoryFactory(hromada=hromada)
    with pytest.raises(DomainError) as err:
        services.petition_submit(hromada=hromada, author=resident, title=title, text=text, category=category)
    assert err.value.code == code
    assert err.value.field in {"title", "text"}
    assert not Petition.objects.exists()


def test_submit_requires_identity_level_and_own_category(hromada, other_hromada, resident):
    unverified = UserFactory()
    with pytest.raises(DomainError) as err:
        services.petition_submit(
            hromada=hromada,
            author=unverified,
            title="Дитячий майданчик у сквері",
            text=TEXT,
            category=CategoryFactory(hromada=hromada),
        )
    assert err.value.code == "identity_required"
    with pytest.raises(DomainError) as err:
        services.petition_submit(
            hromada=hromada,
            author=resident,
            title="Дитячий майданчик у сквері",
            text=TEXT,
            category=CategoryFactory(hromada=other_hromada),
        )
    assert err.value.code == "category_invalid"
    assert not Petition.objects.exists()


# --- moderation ----------------------------------------------------------------------------


def test_publish_opens_collection_writes_ledger_and_tells_author(hromada, moderator):
    petition = PetitionFactory(hromada=hromada)
    services.petition_publish(petition=petition, moderator=moderator)
    petition.refresh_from_db()
    assert petition.status == Status.COLLECTING
    assert petition.collection_ends_at - petition.published_at == dt.timedelta(days=petition.collection_days)
    assert _kinds(hromada) == ["petition.published"]
    assert Notification.objects.filter(user=petition.author, kind="petition.moderated").exists()
    with pytest.raises(DomainError) as err:
        services.petition_publish(petition=petition, moderator=moderator)
    assert err.value.code == "not_in_moderation"


def test_reject_records_reason_and_comment(hromada, moderator):
    petition = PetitionFactory(hromada=hromada)
    services.petition_reject(
        petition=petition, moderator=moderator, reason="duplicate", comment="Див. петицію №4"
    )
    petition.refresh_from_db()
    assert (petition.status, petition.rejection_reason, petition.rejection_comment) == (
        "rejected",
        "duplicate",
        "Див. петицію №4",
    )
    assert _kinds(hromada) == ["petition.rejected"]
    note = Notification.objects.get(user=petition.author)
    assert "Див. петицію №4" in note.body


def test_reject_needs_valid_reason(hromada, moderator):
    petition = PetitionFactory(hromada=hromada)
    with pytest.raises(DomainError) as err:
        services.petition_reject(petition=petition, moderator=moderator, reason="dislike")
    assert err.value.code == "reason_invalid"
    petition.refresh_from_db()
    assert petition.status == Status.MODERATION


# --- signing ------------------------------------------------------------------------------------


def test_sign_stores_signature_and_pseudonymous_ledger_entry(hromada, resident):
    petition = collecting(hromada=hromada)
    signature = services.petition_sign(petition=petition, user=resident)
    assert signature.person_key == resident.identity.tax_hash
    entry = LedgerEntry.objects.get(hromada=hromada, kind="petition.signed")
    payload = entry.payload
    assert payload["signer"] == services.signer_pseudonym(petition=petition, person_key=signature.person_key)
    raw = str(payload)
    assert resident.identity.last_name not in raw and resident.identity.tax_hash not in raw


def test_sign_twice_is_refused_and_keeps_one_signature(hromada, resident):
    petition = collecting(hromada=hromada)
    services.petition_sign(petition=petition, user=resident)
    with pytest.raises(DomainError) as err:
        services.petition_sign(petition=petition, user=resident)
    assert err.value.code == "already_signed"
    assert Signature.objects.filter(petition=petition).count() == 1
    assert _kinds(hromada).count("petition.signed") == 1


def test_same_person_with_two_accounts_cannot_sign_twice(hromada):
    petition = collecting(hromada=hromada)
    first = IdentityFactory(tax_hash="a" * 64).user
    services.petition_sign(petition=petition, user=first)
    # A second account cannot hold the same identity (unique hash) — the DB refuses it.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityFactory(tax_hash="a" * 64)
    # And the signature table itself refuses a second row for the same person.
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            hromada=hromada,
            petition=petition,
            user=UserFactory(),
            person_key="a" * 64,
            signer_name="x",
            created_at=timezone.now(),
        )


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("unverified", "identity_required"),
        ("underage", "underage"),
        ("no_birth_date", "age_unknown"),
        ("ended", "petition_closed"),
        ("consideration", "petition_closed"),
        ("anonymous", "login_required"),
    ],
)
def test_sign_refusals_change_nothing(hromada, setup, code):
    from django.contrib.auth.models import AnonymousUser

    petition = collecting(hromada=hromada)
    user = verified_user()
    if setup == "unverified":
        user = UserFactory()
    elif setup == "underage":
        today = timezone.localdate()
        user = verified_user(birth_date=today.replace(year=today.year - 15))
    elif setup == "no_birth_date":
        user = verified_user(birth_date=None)
    elif setup == "ended":
        Petition.objects.filter(pk=petition.pk).update(
            collection_ends_at=timezone.now() - dt.timedelta(seconds=1)
        )
        petition.refresh_from_db()
    elif setup == "consideration":  # past its threshold, under rules that stop there
        Petition.objects.filter(pk=petition.pk).update(
            status=Status.CONSIDERATION, sign_after_threshold=False
        )
        petition.refresh_from_db()
    elif setup == "anonymous":
        user = AnonymousUser()
    with pytest.raises(DomainError) as err:
        services.petition_sign(petition=petition, user=user)
    assert err.value.code == code
    assert not Signature.objects.exists()
    assert "petition.signed" not in _kinds(hromada)


def test_signer_of_exactly_minimum_age_may_sign(hromada):
    petition = collecting(hromada=hromada, min_age=16)
    today = timezone.localdate()
    try:
        birthday = today.replace(year=today.year - 16)
    except ValueError:  # 29 February
        birthday = today.replace(year=today.year - 16, day=28)
    services.petition_sign(petition=petition, user=verified_user(birth_date=birthday))
    assert Signature.objects.count() == 1


def test_reaching_threshold_moves_to_consideration_with_working_day_deadline(hromada):
    from hromada.core.calendar import deadline_for

    petition = collecting(hromada=hromada, threshold=3, sign_after_threshold=False)
    for _ in range(3):
        services.petition_sign(petition=petition, user=verified_user())
    # The tasks backend in tests runs the after-commit check immediately.
    services.petitions_tick()
    petition.refresh_from_db()
    assert petition.status == Status.CONSIDERATION
    assert petition.signature_count == 3
    assert petition.consideration_due == deadline_for(start=petition.threshold_reached_at, working_days=10)
    assert _kinds(hromada).count("petition.threshold_reached") == 1
    with pytest.raises(DomainError):
        services.petition_sign(petition=petition, user=verified_user())


def test_expired_petition_short_of_threshold_is_closed(hromada):
    petition = collecting(hromada=hromada, threshold=5)
    services.petition_sign(petition=petition, user=verified_user())
    Petition.objects.filter(pk=petition.pk).update(
        collection_ends_at=timezone.now() - dt.timedelta(minutes=1)
    )
    result = services.petitions_tick()
    petition.refresh_from_db()
    assert result["closed_unsuccessful"] == 1
    assert petition.status == Status.UNSUCCESSFUL
    assert petition.signature_count == 1
    assert Notification.objects.filter(user=petition.author, kind="petition.closed_unsuccessful").exists()


def test_overdue_moderation_is_flagged_once(hromada, moderator):
    PetitionFactory(hromada=hromada, moderation_due=timezone.localdate() - dt.timedelta(days=1))
    assert services.petitions_tick()["moderation_overdue"] == 1
    assert services.petitions_tick()["moderation_overdue"] == 0
    assert Notification.objects.filter(user=moderator, kind="petition.moderation_overdue").count() == 1


# --- answer and extension -------------------------------------------------------------------------


def _in_consideration(hromada, signers=2):
    petition = collecting(hromada=hromada, threshold=signers)
    users = [verified_user() for _ in range(signers)]
    for user in users:
        services.petition_sign(petition=petition, user=user)
    services.petition_reach_threshold(petition=petition)
    petition.refresh_from_db()
    return petition, users


def test_answer_publishes_and_tells_author_and_signers(hromada, hromada_admin):
    petition, signers = _in_consideration(hromada)
    pdf = SimpleUploadedFile("rishennia.pdf", b"%PDF-1.7\n1 0 obj", "application/pdf")
    answer = services.petition_answer(
        petition=petition,
        officer=hromada_admin,
        decision="supported",
        text="Рада підтримує петицію та доручає управлінню ЖКГ облаштувати майданчик у 2027 році.",
        document=pdf,
    )
    petition.refresh_from_db()
    assert petition.status == Status.ANSWERED
    assert answer.document_name == "rishennia.pdf"
    told = set(Notification.objects.filter(kind="petition.answered").values_list("user_id", flat=True))
    assert told == {petition.author_id, *[u.pk for u in signers]}
    assert _kinds(hromada)[-1] == "petition.answered"


def test_answer_refuses_wrong_state_and_short_text(hromada, hromada_admin):
    officer = hromada_admin
    petition = collecting(hromada=hromada)
    with pytest.raises(DomainError) as err:
        services.petition_answer(petition=petition, officer=officer, decision="supported", text="x" * 30)
    assert err.value.code == "not_in_consideration"
    petition, _ = _in_consideration(hromada)
    with pytest.raises(DomainError) as err:
        services.petition_answer(petition=petition, officer=officer, decision="supported", text="Так")
    assert err.value.code == "answer_too_short"
    petition.refresh_from_db()
    assert petition.status == Status.CONSIDERATION


def test_extend_deadline_records_notice(hromada, officer):
    petition, signers = _in_consideration(hromada)
    route_to(petition, officer)
    until = petition.consideration_due + dt.timedelta(days=14)
    services.petition_extend_deadline(
        petition=petition,
        officer=officer,
        until=until,
        notice="Потрібен висновок управління архітектури щодо земельної ділянки.",
    )
    petition.refresh_from_db()
    assert petition.deadline == until
    assert petition.extension_noticed_at is not None
    assert Notification.objects.filter(kind="petition.deadline_extended", user=signers[0]).exists()
    with pytest.raises(DomainError) as err:
        services.petition_extend_deadline(
            petition=petition,
            officer=officer,
            until=until,
            notice="Ще раз продовжуємо на той самий строк, вибачте.",
        )
    assert err.value.code == "extension_once"


# --- selectors -----------------------------------------------------------------------------------------


def test_list_search_filters_and_sorting(hromada):
    a = collecting(hromada=hromada, title="Ремонт дороги на вулиці Садовій")
    b = collecting(hromada=hromada, title="Велодоріжка в парку Перемоги")
    PetitionFactory(hromada=hromada, title="Дорога у модерації")  # not public
    found = list(selectors.petition_list(hromada=hromada, filters=selectors.PetitionFilters(q="дороги")))
    assert found == [a]
    found = list(selectors.petition_list(hromada=hromada, filters=selectors.PetitionFilters(q="ВЕЛОДОРІЖКА")))
    assert found == [b]
    Petition.objects.filter(pk=a.pk).update(signature_count=10)
    popular = list(
        selectors.petition_list(hromada=hromada, filters=selectors.PetitionFilters(sort="popular"))
    )
    assert popular[0] == a


def test_signer_names_follow_the_settings(hromada):
    assert selectors.signer_display_name("Олена Коваль", hromada=hromada) == "Олена Коваль"
    petition_settings(hromada=hromada).signer_names = "initials"
    assert selectors.signer_display_name("Олена Коваль", hromada=hromada) == "Олена К."


def test_export_rows_have_counts_and_no_personal_data(hromada):
    """The signature is keyed by the keyed hash of the signer's tax number; the number
    itself is stored nowhere, and neither it, its hash nor the name is exported."""
    from django.core.management import call_command

    from hromada.accounts import services as account_services
    from hromada.accounts.identity import taxnumber
    from hromada.accounts.models import VerificationMethod
    from hromada.accounts.tests.helpers import person

    signer = person(last_name="Підписантенко")
    user = UserFactory()
    account_services.identity_verify(user=user, person=signer, method=VerificationMethod.DEV)
    petition = collecting(hromada=hromada)
    signature = services.petition_sign(petition=petition, user=user)
    keyed = taxnumber.tax_hash(signer.tax_number)
    assert Signature.objects.get(pk=signature.pk).person_key == keyed
    rows = list(selectors.petition_export_rows(hromada=hromada))
    assert rows[0]["signatures"] == 1
    for secret in (signer.tax_number, keyed, signer.last_name):
        assert secret not in str(rows)
    database = io.StringIO()
    call_command("dumpdata", stdout=database)
    assert keyed in database.getvalue()  # the dump does reach the signatures
    assert signer.tax_number not in database.getvalue()


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_sign_stores_one(hromada, ledger_cleanup):
    """Two requests from the same person at once: the constraint keeps one row."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    petition = collecting(hromada=hromada)
    user = verified_user()
    results = []

    def sign():
        from django.db import connection as conn

        try:
            services.petition_sign(petition=petition, user=user)
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            conn.close()

    threads = [threading.Thread(target=sign) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["already_signed"] * 5 + ["ok"]
    assert Signature.objects.filter(petition=petition).count() == 1


def test_signing_cache_never_lets_a_signature_past_the_end(hromada):
    petition = collecting(hromada=hromada)
    cached = selectors.petition_for_signing(hromada=hromada, public_id=petition.public_id)
    assert cached.hromada is hromada  # the request's hromada, no join
    # The period ends while the row is cached: the end time itself is what is checked.
    Petition.objects.filter(pk=petition.pk).update(
        collection_ends_at=timezone.now() - dt.timedelta(seconds=1)
    )
    cached.collection_ends_at = timezone.now() - dt.timedelta(seconds=1)
    with pytest.raises(DomainError) as err:
        services.petition_sign(petition=cached, user=verified_user())
    assert err.value.code == "petition_closed"


def test_a_stored_signature_is_not_turned_into_an_error_by_the_count(hromada, monkeypatch):
    """The database goes away after the commit: the signer is still told it worked."""
    from django.db import OperationalError

    petition = collecting(hromada=hromada)

    def broken_count(self):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr("django.db.models.query.QuerySet.count", broken_count)
    signature = services.petition_sign(petition=petition, user=verified_user())
    assert signature.pk is not None
    assert selectors.petition_live_count(petition) == petition.signature_count


def test_the_insert_itself_refuses_a_petition_that_stopped_collecting(hromada):
    """This process still holds the petition as collecting (the signing cache), but it
    has moved on in the database: the INSERT re-reads it and stores nothing."""
    petition = collecting(hromada=hromada, sign_after_threshold=False)
    cached = selectors.petition_for_signing(hromada=hromada, public_id=petition.public_id)
    Petition.objects.filter(pk=petition.pk).update(status=Status.CONSIDERATION)
    assert cached.status == Status.COLLECTING
    with pytest.raises(DomainError) as err:
        services.petition_sign(petition=cached, user=verified_user())
    assert err.value.code == "petition_closed"
    assert not Signature.objects.filter(petition=petition).exists()
    assert "petition.signed" not in _kinds(hromada)
    # The stale copy is dropped, so the next signer is refused without a write.
    assert selectors.petition_for_signing(hromada=hromada, public_id=petition.public_id).status == (
        Status.CONSIDERATION
    )


def test_a_signature_is_never_stored_without_its_ledger_entry(hromada, monkeypatch):
    from django.db import IntegrityError, transaction

    petition = collecting(hromada=hromada)
    real = signing.ledger_entry_new

    def unstorable(**kwargs):
        entry = real(**kwargs)
        entry.leaf_hash = None  # NOT NULL: the ledger INSERT fails
        return entry

    monkeypatch.setattr(signing, "ledger_entry_new", unstorable)
    with pytest.raises(IntegrityError), transaction.atomic():
        services.petition_sign(petition=petition, user=verified_user())
    assert not Signature.objects.filter(petition=petition).exists()


def test_the_author_is_told_in_their_language_not_the_moderators(hromada, moderator):
    from django.utils import translation

    petition = PetitionFactory(hromada=hromada, author=UserFactory(language="en"))
    with translation.override("uk"):  # the moderator works in Ukrainian
        services.petition_reject(petition=petition, moderator=moderator, reason="duplicate", comment="№4")
    note = Notification.objects.get(user=petition.author)
    assert note.title == f"Your petition No. {petition.number} has been rejected"
    with translation.override("en"):
        reason = str(RejectionReason("duplicate").label)
    assert reason and not any("\u0400" <= ch <= "\u04ff" for ch in reason)  # translated
    assert note.body == f"{reason}. №4"


# --- an in-person verification counts in the hromada that made it (security issue 8, finding 5) ---


def _verified_in_person_in(where):
    from hromada.accounts.tests.factories import staff_user

    user = UserFactory()
    officer = staff_user(where, "officer")
    from hromada.accounts import services as account_services
    from hromada.accounts.tests.helpers import person

    account_services.identity_verify_in_person(
        officer=officer,
        hromada=where,
        user=user,
        person=person(birth_date=dt.date(1985, 3, 14)),
        document_type="id_card",
    )
    return user


def test_another_hromadas_in_person_verification_does_not_sign_or_submit_here(hromada, other_hromada):
    invented = _verified_in_person_in(other_hromada)
    petition = collecting(hromada=hromada)
    with pytest.raises(DomainError) as err:
        services.petition_sign(petition=petition, user=invented)
    assert err.value.code == "identity_required"
    assert not Signature.objects.exists()
    with pytest.raises(DomainError) as err:
        services.petition_submit(
            hromada=hromada, author=invented, title="Дитячий майданчик у сквері", text=TEXT, category=None
        )
    assert err.value.code == "identity_required"
    from hromada.petitions import rules

    assert not rules.can_submit(invented, hromada) and rules.can_submit(invented, other_hromada)
    # In the hromada that verified the person, the signature counts.
    services.petition_sign(petition=collecting(hromada=other_hromada), user=invented)


def test_a_hromada_may_accept_other_hromadas_in_person_verifications(hromada, other_hromada, hromada_admin):
    from hromada.tenancy.services import module_settings_update

    invented = _verified_in_person_in(other_hromada)
    module_settings_update(
        actor=hromada_admin, hromada=hromada, module="accounts", accept_in_person_from_other_hromadas=True
    )
    services.petition_sign(petition=collecting(hromada=hromada), user=invented)
    assert Signature.objects.count() == 1
