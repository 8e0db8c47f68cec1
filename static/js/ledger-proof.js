// Re-checks an inclusion proof on /ledger/receipt/ in the browser (RFC 9162 §2.1.3.2),
// so a resident need not take the server's word for it: the entry's bytes are hashed
// again and the audit path is folded up to the signed root with WebCrypto's SHA-256.
// The Ed25519 signature of the root is checked by the server and by ledger_verify.py.
(function () {
  "use strict";

  function hex(bytes) {
    return Array.from(new Uint8Array(bytes), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function unhex(text) {
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
    return out;
  }

  function joined(prefix, parts) {
    var length = 1 + parts.reduce(function (n, p) { return n + p.length; }, 0);
    var out = new Uint8Array(length);
    out[0] = prefix;
    var at = 1;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  async function sha(prefix, parts) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", joined(prefix, parts)));
  }

  async function verify(leaf, index, size, path, root) {
    if (index >= size) return false;
    var fn = index, sn = size - 1, r = leaf;
    for (var i = 0; i < path.length; i++) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await sha(1, [path[i], r]);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await sha(1, [r, path[i]]);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 && hex(r) === hex(root);
  }

  async function check(block) {
    var status = block.closest("details").previousElementSibling.querySelector("[data-ledger-proof-status]");
    if (!status) return;
    var entry = document.getElementById(block.dataset.entryId);
    var leaf = await sha(0, [new TextEncoder().encode(entry.textContent)]);
    var path = (block.dataset.path || "").split(" ").filter(Boolean).map(unhex);
    var ok = hex(leaf) === block.dataset.leaf &&
      await verify(leaf, Number(block.dataset.index), Number(block.dataset.size), path, unhex(block.dataset.root));
    status.textContent = ok ? status.dataset.ok || "" : status.dataset.bad || "";
    status.classList.add(ok ? "ledger-browser-ok" : "ledger-browser-bad");
    status.hidden = false;
  }

  function start() {
    if (!window.crypto || !crypto.subtle || !window.TextEncoder) return;
    document.querySelectorAll("[data-ledger-proof]").forEach(function (block) {
      check(block).catch(function () { /* no verdict rather than a wrong one */ });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
