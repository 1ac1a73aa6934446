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
