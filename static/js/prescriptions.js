// Prescription intake: Enter in a lookup box searches instead of submitting the whole
// form (whose first button would send the prescription to the pharmacist).
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter") return;
  var target = event.target;
  if (!target.matches || !target.matches("input[data-lookup]")) return;
  event.preventDefault();
  if (window.htmx) window.htmx.trigger(target, "search");
  // Move to the first choice so arrow keys pick and Tab goes on.
  var region = document.getElementById(target.getAttribute("aria-controls") || "");
  if (region) {
    region.addEventListener("htmx:afterSwap", function focusFirst() {
      region.removeEventListener("htmx:afterSwap", focusFirst);
      var choice = region.querySelector("input[type=radio]:checked, input[type=radio]");
      if (choice) choice.focus();
    });
  }
});
