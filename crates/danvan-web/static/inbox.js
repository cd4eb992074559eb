// The inbox's keyboard navigation, a small enhancement (issue 9): j / k move between cases,
// Enter opens the chosen one. The page works the same without it. No dependencies.
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#inbox tbody tr[data-href]"));
  if (!rows.length) { return; }
  var current = -1;
  function choose(i) {
    if (i < 0 || i >= rows.length) { return; }
    if (current >= 0) { rows[current].classList.remove("row-current"); rows[current].removeAttribute("aria-current"); }
    current = i;
    rows[i].classList.add("row-current");
    rows[i].setAttribute("aria-current", "true");
    var link = rows[i].querySelector("a");
    if (link) { link.focus({ preventScroll: true }); }
    rows[i].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if (typing) { return; }
    if (e.key === "j") { e.preventDefault(); choose(current < 0 ? 0 : current + 1); }
    else if (e.key === "k") { e.preventDefault(); choose(current <= 0 ? 0 : current - 1); }
    else if (e.key === "Enter" && current >= 0 && t === document.body) { window.location.href = rows[current].getAttribute("data-href"); }
  });
  var hint = document.getElementById("inbox-keys");
  if (hint) { hint.hidden = false; }
})();
