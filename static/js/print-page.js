// A page printed for the patient (the pickup receipt): its Print button opens the print dialog.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
