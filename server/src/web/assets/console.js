// The web console's one script: the Copy button of the shown-once key.
// Everything else works without it.
"use strict";
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var target = document.getElementById(button.getAttribute("data-copy"));
  if (!target) { return; }
  button.hidden = false;
  var label = button.querySelector("[data-label]");
  var status = document.getElementById(button.getAttribute("data-status"));
  function copied() {
    if (label) { label.textContent = "Copied"; }
    if (status) { status.textContent = "The key was copied to the clipboard."; }
    setTimeout(function () { if (label) { label.textContent = "Copy"; } }, 3000);
  }
  function fallback(text) {
    // Plain http outside localhost has no navigator.clipboard.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    if (ok) { copied(); } else if (status) { status.textContent = "Copy failed: select the key and copy it by hand."; }
  }
  button.addEventListener("click", function () {
    var text = target.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(copied, function () { fallback(text); });
    } else {
      fallback(text);
    }
  });
});
