"""A resident checks their signing receipt on the public register in Chromium: the
register's page explains itself, the receipt pasted there shows the signature's entry
and its inclusion proof in a signed tree head, and the browser re-checks the proof."""

import pytest

from e2e.conftest import axe_serious, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed(db):
    from hromada.accounts.tests.factories import verified_user
    from hromada.ledger.models import LedgerEntry
    from hromada.ledger.services import ledger_append, ledger_seal
    from hromada.petitions.services import petition_sign
    from hromada.petitions.tests.factories import collecting
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    petition = collecting(
        hromada=hromada, title="Відремонтувати тротуар на вулиці Лесі Українки", threshold=100
    )
    for _ in range(3):
        petition_sign(petition=petition, user=verified_user())
    resident = verified_user()
    petition_sign(petition=petition, user=resident)
    ledger_append(hromada=hromada, kind="sample.opened", payload={"thing": "t-1", "title": "Сквер"})
    ledger_seal(hromada=hromada)
    entry = LedgerEntry.objects.filter(hromada=hromada, kind="petition.signed").order_by("-id").first()
    return {"petition": petition, "receipt": entry.payload["signer"], "hromada": hromada}


@pytest.mark.parametrize("width", [390, 1280])
def test_a_resident_checks_their_receipt(new_page, signed, width):
    petition, receipt = signed["petition"], signed["receipt"]
    page = new_page(width=width, height=900)

    page.goto("/ledger/")
    assert page.get_by_role("heading", name="Перевірте свій підпис").is_visible()
    assert page.get_by_role("heading", name="Останні події").is_visible()
    shot(page, f"ledger-01-register-{width}")
    assert axe_serious(page) == []

    # A mistyped receipt is explained next to the field.
    page.get_by_label("Код квитанції").fill(receipt[:-1] + "я")
    page.get_by_role("button", name="Перевірити").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").inner_text().startswith("Код квитанції складається лише з цифр")
    assert page.get_by_label("Код квитанції").get_attribute("aria-invalid") == "true"
    shot(page, f"ledger-02-bad-receipt-{width}")
    assert axe_serious(page) == []

    # The right one, pasted with stray spaces, with the keyboard.
    page.get_by_label("Код квитанції").fill(f"  {receipt.upper()} ")
    page.get_by_label("Код квитанції").press("Enter")
    page.wait_for_load_state()
    verdict = page.locator(".ledger-verdict").first
    assert "Перевірка пройшла" in verdict.inner_text()
    assert f"Ваш підпис під петицією №{petition.number} «{petition.title}»" in verdict.inner_text()
    assert "Запис №4 із 5 входить до підписаного стану реєстру" in verdict.inner_text()
    # The browser re-checked the audit path itself (WebCrypto).
    browser_check = page.locator("[data-ledger-proof-status]")
    browser_check.wait_for(state="visible")
    assert "збігається" in browser_check.inner_text()
    # The technical data is one click away.
    details = page.locator("details.ledger-technical").first
    assert not details.locator("dl").is_visible()
    details.locator("summary").click()
    assert details.get_by_text("Шлях до кореня").is_visible()
    shot(page, f"ledger-03-receipt-verified-{width}")
    assert axe_serious(page) == []
    assert page.get_by_text(f"python3 ledger_verify.py --proof receipt-{receipt}.json").is_visible()

    # The proof downloads as JSON for the offline verifier.
    with page.expect_download() as download:
        page.get_by_role("link", name="Завантажте доказ (JSON)").click()
    assert download.value.suggested_filename == f"receipt-{receipt}.json"

    # A receipt from somewhere else is not found, and says what to try.
    page.get_by_label("Код квитанції").fill("ab" * 16)
    page.get_by_role("button", name="Перевірити").click()
    page.wait_for_load_state()
    assert page.get_by_text("Запису з такою квитанцією в реєстрі цієї громади не знайдено.").is_visible()
    shot(page, f"ledger-04-not-found-{width}")
    assert axe_serious(page) == []
