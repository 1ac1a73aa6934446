// Labels print without leaving the page (templates/labels/_print_frame.html). A form marked
// data-print-frame="<frame name>" posts into that frame. A PDF answer stays in the frame and
// its print dialog opens; any other answer (a field to fix, a label not ready) is a page,
// so the same form is posted again to the whole window, where it shows its messages (an
// answer with errors printed and logged nothing, so posting it again is safe).
(function () {
  "use strict";

  function printFrame(frame) {
    // A browser driven by automation (the browser tests) has no print dialog, and
    // headless Chromium's PDF frame crashes on one: there the dialog is only noted.
    if (navigator.webdriver) {
      frame.dataset.printDialog = "skipped under automation";
      return;
    }
    try {
      frame.contentWindow.print();
      frame.dataset.printDialog = "opened";
    } catch (error) {
      frame.dataset.printDialog = "use the viewer's print button"; // it is in view
    }
  }

  // A large batch's PDF, laid out while its progress showed: it prints once loaded.
  document.querySelectorAll("iframe[data-print-when-loaded]").forEach(function (frame) {
    var status = document.getElementById("print-frame-status");
    if (status) status.focus();
    var doc = null;
    try {
      doc = frame.contentDocument;
    } catch (error) {
      doc = null;
    }
    if (doc && doc.readyState === "complete" && doc.contentType === "application/pdf") {
      printFrame(frame); // it loaded before this script ran
      return;
    }
    frame.addEventListener("load", function () { printFrame(frame); }, { once: true });
  });

  document.querySelectorAll("form[data-print-frame]").forEach(function (form) {
    var frame = document.getElementById(form.dataset.printFrame);
    if (!frame) return;
    var box = document.getElementById("print-frame-box");
    var status = document.getElementById("print-frame-status");
    var pending = false;

    // Tells the server the answer goes into our frame (portal/labels/views.py).
    var flag = document.createElement("input");
    flag.type = "hidden";
    flag.name = "print_frame";
    flag.value = "1";

    function buttons(disabled) {
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        button.disabled = disabled;
      });
    }

    function chosen() {
      return form.querySelectorAll("input[name=fill]:checked").length;
    }

    form.addEventListener("submit", function (event) {
      if (form.dataset.printWhole) return; // the fallback: post to the window
      // A large batch goes to its progress page (long work), which comes back here with
      // the PDF in the frame: the window posts it (requests.js disables the button).
      if (form.dataset.largeBatch && chosen() > Number(form.dataset.largeBatch)) return;
      if (pending) {
        event.preventDefault(); // no second print while the first is on its way
        return;
      }
      pending = true;
      form.target = frame.name;
      form.appendChild(flag);
      // Disable after the browser has read the form (a disabled submit is not sent).
      setTimeout(function () { buttons(true); }, 0);
    });

    frame.addEventListener("load", function () {
      if (!pending) return;
      pending = false;
      buttons(false);
      var doc = null;
      try {
        doc = frame.contentDocument;
      } catch (error) {
        doc = null; // a page that may not be framed
      }
      if (doc && doc.contentType === "application/pdf") {
        box.hidden = false;
        status.focus();
        printFrame(frame);
        return;
      }
      form.dataset.printWhole = "1";
      flag.remove();
      form.target = "_self";
      // The form's button is named "submit" (WTForms), which hides form.submit().
      HTMLFormElement.prototype.submit.call(form);
    });
  });
})();
