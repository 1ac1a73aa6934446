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

// A lookup answers again after the choice was focused (the typing's delayed search lands
// after the Enter's): keep the focus on the choice instead of losing it to the page.
// The same late answer must not undo a choice already made: the radio chosen before the
// swap is chosen again when the new list still offers it.
document.addEventListener("htmx:beforeSwap", function (event) {
  var region = event.detail.target;
  if (!region || !region.querySelector) return;
  region.dataset.hadFocus = region.contains(document.activeElement) ? "1" : "";
  var checked = region.querySelector("input[type=radio]:checked");
  region.dataset.chosen = checked ? checked.name + "=" + checked.value : "";
});
document.addEventListener("htmx:afterSwap", function (event) {
  var region = event.detail.target;
  if (!region || !region.querySelector) return;
  var chosen = region.dataset.chosen || "";
  region.dataset.chosen = "";
  if (chosen && !region.querySelector("input[type=radio]:checked")) {
    var cut = chosen.indexOf("=");
    var name = chosen.slice(0, cut), value = chosen.slice(cut + 1);
    Array.prototype.forEach.call(region.querySelectorAll("input[type=radio]"), function (radio) {
      if (radio.name === name && radio.value === value) radio.checked = true;
    });
  }
  if (region.dataset.hadFocus !== "1") return;
  region.dataset.hadFocus = "";
  var choice = region.querySelector("input[type=radio]:checked, input[type=radio]");
  if (choice) choice.focus();
});
