// Mortar's one htmx convention (README, "Architecture notes: the htmx convention").
// Built on htmx's own attributes and events; no hand-written fetch code:
//  * a request marks its target aria-busy; the top bar's indicator (hx-indicator on <body>,
//    inherited) shows "Working…" once a request has taken 300 ms (portal.css);
//  * submit buttons carry hx-disabled-elt, so htmx disables them while their request runs;
//  * a failed request (htmx:responseError, htmx:sendError) puts a message in place, at the
//    target, and never leaves a blank region: 423 (terminal locked) and 429 (too many
//    tries) say what to do;
//  * after a swap, focus goes to the first field with an error, else (when the swap took the
//    focused element away) to [data-swap-focus] or the new content's heading; a swap that
//    replaced its target (outerHTML: "Show the next 50") looks in what came first in its place;
//  * a form posted without htmx disables its pressed button and shows "Working…" too;
//  * on a full page load, focus goes to the first field with an error.
(function () {
  "use strict";

  var messages = new WeakMap(); // target -> the error message shown for it

  var STATUS_TEXT = {
    400: "The portal could not read that request. Reload the page and try again.",
    403: "Your role cannot do this. Ask someone who can, or switch user (F2).",
    404: "That was not found: it may have been removed. Reload the page.",
    409: "Someone else changed this at the same time. Reload the page to see the latest.",
    413: "That file is too large.",
    423: "The terminal is locked. Unlock it with your PIN or badge, then try again: nothing you typed was lost.",
    429: "Too many tries from this terminal. Wait a minute, then try again.",
  };

  function statusText(status) {
    if (STATUS_TEXT[status]) return STATUS_TEXT[status];
    if (status >= 500) {
      return "The portal hit a problem answering this (error " + status + "). Try again; if it keeps happening, tell the administrator.";
    }
    return "The request was refused (error " + status + "). Reload the page and try again.";
  }

  function clearMessage(target) {
    var old = target && messages.get(target);
    if (old) {
      old.remove();
      messages.delete(target);
    }
  }

  // Where a message about target goes: inside a form or an empty region, else just before
  // the region (a table's rows: before the table).
  function showMessage(target, text) {
    if (!target || !target.isConnected) target = document.getElementById("main") || document.body;
    clearMessage(target);
    var message = document.createElement("p");
    message.className = "request-error";
    message.setAttribute("role", "alert");
    message.setAttribute("tabindex", "-1");
    message.setAttribute("data-request-error", "");
    message.textContent = text;
    var anchor = target.closest("table") || target;
    if (anchor.tagName === "FORM" || anchor === document.body || anchor.id === "main") {
      anchor.insertBefore(message, anchor.firstChild);
    } else if (!anchor.textContent.trim() && !anchor.querySelector("input, select, textarea, button, img")) {
      anchor.appendChild(message);
    } else {
      anchor.parentNode.insertBefore(message, anchor);
    }
    messages.set(target, message);
    if (focusLost()) message.focus();
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  document.body.addEventListener("htmx:beforeSend", function (event) {
    var target = event.detail.target;
    clearMessage(target);
    if (target && target.setAttribute) target.setAttribute("aria-busy", "true");
  });

  function done(event) {
    var target = event.detail.target;
    if (target && target.removeAttribute) target.removeAttribute("aria-busy");
  }
  document.body.addEventListener("htmx:afterRequest", done);

  document.body.addEventListener("htmx:responseError", function (event) {
    done(event);
    // The Lock button's answer is 423 by design: the lock screen is its message.
    if (event.detail.elt.closest && event.detail.elt.closest("[data-locks-terminal]")) return;
    showMessage(event.detail.target, statusText(event.detail.xhr.status));
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    done(event);
    showMessage(
      event.detail.target,
      "The portal could not be reached. Check the network connection, then try again."
    );
  });
  document.body.addEventListener("htmx:timeout", function (event) {
    done(event);
    showMessage(event.detail.target, "The portal took too long to answer. Try again.");
  });

  // Focus: remember what had it before the swap, so a swap that replaces it (a tab, the
  // PIN form, a background refresh) can put it back on the same control or move it on.
  var before = null;
  var place = null; // where the target stood, for a swap that replaces it (outerHTML)
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var target = event.detail.target;
    before = null;
    place = target && target.parentElement ?
      { parent: target.parentElement, previous: target.previousElementSibling } : null;
    if (active && active !== document.body && target && target.contains(active)) {
      before = { id: active.id, href: active.getAttribute("href"), name: active.getAttribute("name") };
    }
  });

  function focusable(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    return element;
  }

  function firstError(region) {
    return region.querySelector(
      ":scope [aria-invalid='true'], :scope .has-error input:not([type=hidden]), " +
        ":scope .has-error select, :scope .has-error textarea"
    );
  }

  // The first element a swap put where its (replaced) target stood: the next page of rows
  // starts there, not at the new "Show the next" row further down.
  function insertedAt(spot) {
    if (!spot || !spot.parent.isConnected) return null;
    if (spot.previous && !spot.previous.isConnected) return null;
    return spot.previous ? spot.previous.nextElementSibling : spot.parent.firstElementChild;
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var background = event.detail.requestConfig && event.detail.requestConfig.headers &&
      event.detail.requestConfig.headers["X-Background"];
    var region = target && target.isConnected ? target : insertedAt(place) ||
      (target && target.id && document.getElementById(target.id));
    if (!region) return;
    // Errors take the focus only when a form was sent: a lookup typed into keeps it.
    var config = event.detail.requestConfig || {};
    var sent = config.verb && config.verb !== "get" || (config.elt && config.elt.tagName === "FORM");
    var error = sent && !background && firstError(region);
    if (error) {
      error.focus();
      return;
    }
    if (!focusLost()) return;
    var same = before && (
      (before.id && document.getElementById(before.id)) ||
      (before.href && region.querySelector("[href='" + CSS.escape(before.href) + "']")) ||
      (before.name && region.querySelector("[name='" + CSS.escape(before.name) + "']"))
    );
    if (background) {
      if (same) same.focus();
      return;
    }
    var next = region.querySelector("[data-swap-focus]") || same ||
      region.querySelector("h1, h2, h3, h4, caption") || region;
    focusable(next).focus();
  });

  // Forms posted without htmx (a whole page comes back: the catalog import, a pickup, a
  // verification): the same promise. The pressed button is disabled so a second press
  // cannot post twice, and "Working…" shows if the answer takes over 300 ms. A download
  // leaves the page in place, so the button comes back after a while.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") return;
    if (form.hasAttribute("hx-post") || (form.target && form.target !== "_self")) return;
    if (form.dataset.posting) {
      event.preventDefault(); // sent already: Enter or a second press does not send it again
      return;
    }
    form.dataset.posting = "1";
    var button = event.submitter;
    var indicator = document.getElementById("request-indicator");
    setTimeout(function () {
      // After the browser has read the form: a disabled button's name is not sent.
      if (button) button.disabled = true;
      form.setAttribute("aria-busy", "true");
      if (indicator) indicator.classList.add("htmx-request");
    }, 0);
    setTimeout(function () {
      delete form.dataset.posting;
      if (button) button.disabled = false;
      form.removeAttribute("aria-busy");
      if (indicator) indicator.classList.remove("htmx-request");
    }, 20000);
  });

  // A full page that comes back with field errors (a form posted without htmx): the first
  // field with an error gets the focus, unless the page put it somewhere on purpose.
  function focusFirstErrorOnLoad() {
    if (document.querySelector("[autofocus]")) return;
    var error = firstError(document.getElementById("main") || document.body);
    if (error) error.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstErrorOnLoad);
  } else {
    focusFirstErrorOnLoad();
  }
})();
