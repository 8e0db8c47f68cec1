"""The public ledger: append-only tables (see docs/ledger.md).

No row of these tables is ever updated or deleted: the services only INSERT, the
admin is read-only, every foreign key is PROTECT and the database refuses UPDATE,
DELETE and TRUNCATE with triggers (migration 0002)."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from hromada.tenancy.models import Hromada


class LedgerEntry(models.Model):
    """One event, written by ledger_append inside the caller's transaction.

    `canonical` is the evidence: the exact text whose UTF-8 bytes the leaf hash covers.
    The other columns repeat what it says, for queries and pages."""

    hromada = models.ForeignKey(Hromada, on_delete=models.PROTECT, related_name="+", db_index=False)
    uuid = models.UUIDField(_("ідентифікатор"), editable=False)
    kind = models.CharField(_("подія"), max_length=64)
    payload = models.JSONField(_("дані"))
    created_at = models.DateTimeField(_("записано"))
    canonical = models.TextField(_("канонічний запис"))
    leaf_hash = models.CharField(_("геш листка"), max_length=64)

    class Meta:
        verbose_name = _("запис реєстру")
        verbose_name_plural = _("записи реєстру")
        indexes = [
            # Pages list a hromada's newest entries; seals scan its recent ones. The
            # only secondary index: each one is paid for by every append.
            models.Index(fields=["hromada", "id"], name="ledger_entry_hromada_id"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"

    @property
    def entry_bytes(self) -> bytes:
        return self.canonical.encode("utf-8")


class LedgerLeaf(models.Model):
    """The place of an entry in its hromada's Merkle tree, assigned by ledger_seal.

    Kept apart from LedgerEntry so that appending needs no index (and no lock) and
    sealing needs no UPDATE: an entry without a leaf is pending."""

    hromada = models.ForeignKey(Hromada, on_delete=models.PROTECT, related_name="+", db_index=False)
    index = models.PositiveBigIntegerField(_("номер у дереві"))
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="leaf")

    class Meta:
        verbose_name = _("листок дерева")
        verbose_name_plural = _("листки дерева")
        constraints = [
            models.UniqueConstraint(fields=["hromada", "index"], name="ledger_leaf_unique_index"),
        ]

    def __str__(self) -> str:
        return f"#{self.index}"


class LedgerKey(models.Model):
    """A public key that has signed tree heads. Kept for ever so that old heads stay
    verifiable after the signing key is rotated."""

    key_id = models.CharField(_("ідентифікатор ключа"), max_length=64, unique=True)
    algorithm = models.CharField(_("алгоритм"), max_length=20, default="Ed25519")
    public_key = models.CharField(_("відкритий ключ (base64)"), max_length=64)
    created_at = models.DateTimeField(_("вперше використано"), auto_now_add=True)

    class Meta:
        verbose_name = _("ключ реєстру")
        verbose_name_plural = _("ключі реєстру")

    def __str__(self) -> str:
        return f"{self.algorithm} {self.key_id[:16]}"


class SignedTreeHead(models.Model):
    """A signed statement "the first tree_size leaves of this hromada's log have this
    Merkle root" (RFC 9162 §4.10)."""

    hromada = models.ForeignKey(Hromada, on_delete=models.PROTECT, related_name="+", db_index=False)
    tree_size = models.PositiveBigIntegerField(_("кількість записів"))
    root_hash = models.CharField(_("корінь дерева"), max_length=64)
    timestamp = models.DateTimeField(_("час підпису"))
    key = models.ForeignKey(LedgerKey, on_delete=models.PROTECT, related_name="+")
    signature = models.CharField(_("підпис (base64)"), max_length=100)
    # Compact range of the tree (hex roots of its perfect subtrees, largest first), so
    # the next seal starts from here instead of from every leaf. Not evidence: the
    # verifier recomputes everything from the leaves.
    frontier = models.JSONField(default=list)
    # Largest LedgerEntry id sealed into this tree or an earlier one: the next seals
    # start their scan for pending entries from here (see ledger_seal). Not evidence.
    max_entry_id = models.PositiveBigIntegerField(null=True, editable=False)

    class Meta:
        verbose_name = _("підписаний стан реєстру")
        verbose_name_plural = _("підписані стани реєстру")
        constraints = [
            models.UniqueConstraint(fields=["hromada", "tree_size"], name="ledger_sth_unique_size"),
        ]

    def __str__(self) -> str:
        return f"{self.tree_size} @ {self.timestamp:%Y-%m-%d %H:%M:%S}"

    @property
    def timestamp_ms(self) -> int:
        return (self.timestamp - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(milliseconds=1)


class LedgerLookup(models.Model):
    """Finds a sealed entry by its uuid or by a receipt its module declared
    (Module.ledger_receipts). Written by ledger_seal, never by ledger_append, so
    appending pays for no index on payloads. Not evidence: a found entry is checked
    against its signed tree head before anything is shown."""

    hromada = models.ForeignKey(Hromada, on_delete=models.PROTECT, related_name="+", db_index=False)
    key = models.CharField(_("ключ пошуку"), max_length=64)
    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        verbose_name = _("пошуковий ключ реєстру")
        verbose_name_plural = _("пошукові ключі реєстру")
        indexes = [models.Index(fields=["hromada", "key"], name="ledger_lookup_hromada_key")]

    def __str__(self) -> str:
        return self.key


class LedgerNode(models.Model):
    """The hash of a perfect subtree of 2**level leaves starting at leaf `start`, for
    levels of NODE_MIN_LEVEL and up, written by ledger_seal as it completes them. An
    inclusion proof then reads O(log n) of these and at most a few hundred leaves,
    never the whole tree. Not evidence: a proof is checked against the signed root."""

    hromada = models.ForeignKey(Hromada, on_delete=models.PROTECT, related_name="+", db_index=False)
    level = models.PositiveSmallIntegerField(_("рівень"))
    start = models.PositiveBigIntegerField(_("перший листок"))
    hash = models.CharField(_("геш"), max_length=64)

    class Meta:
        verbose_name = _("вузол дерева")
        verbose_name_plural = _("вузли дерева")
        constraints = [
            models.UniqueConstraint(fields=["hromada", "level", "start"], name="ledger_node_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.level}@{self.start}"
