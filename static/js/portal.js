// Mortar's own script (no inline scripts: the CSP forbids them).
// "/" jumps to the patient search from anywhere but a text field.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const tag = (event.target.tagName || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
  const search = document.getElementById("top-search");
  if (search) {
    event.preventDefault();
    search.focus();
  }
});

// A PIN entry refused for too many attempts answers 429 with the PIN form and its message;
// htmx does not swap error answers by default, so the dialog would go silent.
document.addEventListener("htmx:beforeSwap", function (event) {
  var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
  // Only the server's own answer (the form with its message) is swapped in; any other 429
  // is left to the one failure handler (requests.js), which says so in place.
  var form = /pin-form/.test(event.detail.xhr.responseText || "");
  if (event.detail.xhr.status === 429 && form && elt && elt.closest && elt.closest(".pin-form")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
