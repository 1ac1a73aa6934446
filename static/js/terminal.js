// The counter terminal: idle lock screen, switch user (F2), activity reports.
// The server decides when the terminal is locked (portal/auth/terminal.py); this script
// asks it when the idle time should be up, draws the lock screen over the live page (so
// the page and anything typed stay), and tells it when someone types or clicks without
// making a request. No inline script: the CSP forbids it.
(function () {
  "use strict";

  var root = document.getElementById("terminal");
  if (!root) return; // signed out: no terminal

  var idleMs = parseFloat(root.dataset.idleSeconds) * 1000;
  var lockDialog = document.getElementById("lock-dialog");
  var switchDialog = document.getElementById("switch-dialog");
  var pingEvery = Math.max(500, Math.min(30000, idleMs / 4));
  var locked = false;
  var checkTimer = null;
  var pingTimer = null;
  var lastPing = Date.now();
  var inputSincePing = false;

  function scheduleCheck(seconds) {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(checkStatus, Math.max(250, seconds * 1000 + 100));
  }

  // Background request: it must not count as activity itself.
  function checkStatus() {
    fetch(root.dataset.statusUrl, {
      headers: { "X-Background": "1", Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.redirected) {
          window.location.reload(); // signed out elsewhere
          return null;
        }
        return response.json();
      })
      .then(function (status) {
        if (!status) return;
        if (status.locked) showLock();
        else scheduleCheck(status.seconds_left);
      })
      .catch(function () {
        scheduleCheck(5);
      });
  }

  function ping() {
    clearTimeout(pingTimer);
    pingTimer = null;
    if (locked || !inputSincePing) return;
    inputSincePing = false;
    lastPing = Date.now();
    fetch(root.dataset.activityUrl, {
      method: "POST",
      headers: { "X-CSRFToken": root.dataset.csrf, Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status === 423) showLock();
      })
      .catch(function () {});
  }

  // Someone typed or clicked: report it, at most every pingEvery ms, and once more after
  // the last input so the server's clock never runs ahead of the person at the counter.
  function noteInput(event) {
    if (locked || (event.target.closest && event.target.closest(".terminal-dialog"))) return;
    inputSincePing = true;
    if (pingTimer) return;
    var wait = lastPing + pingEvery - Date.now();
    if (wait <= 0) ping();
    else pingTimer = setTimeout(ping, wait);
  }

  function showLock() {
    if (locked) return;
    locked = true;
    clearTimeout(checkTimer);
    if (switchDialog.open) switchDialog.close();
    lockDialog.showModal();
    var input = lockDialog.querySelector("[data-pin-input]");
    if (input) input.focus();
  }

  function openSwitch() {
    if (locked || switchDialog.open) return;
    switchDialog.showModal();
    var input = switchDialog.querySelector("[data-pin-input]");
    if (input) input.focus();
  }

  function acted(detail) {
    locked = false;
    if (lockDialog.open) lockDialog.close();
    if (switchDialog.open) switchDialog.close();
    lastPing = Date.now();
    scheduleCheck(detail && detail.seconds_left ? detail.seconds_left : idleMs / 1000);
  }

  ["keydown", "pointerdown", "input", "wheel"].forEach(function (name) {
    document.addEventListener(name, noteInput, { capture: true, passive: true });
  });

  // The lock screen cannot be dismissed: Escape is refused, and a forced close reopens it.
  lockDialog.addEventListener("cancel", function (event) {
    event.preventDefault();
  });
  lockDialog.addEventListener("close", function () {
    if (locked) setTimeout(function () { lockDialog.showModal(); }, 0);
  });

  // A page form must not be submitted at a locked terminal: the server would refuse it
  // and the page (with what was typed) would be replaced by the lock page.
  document.addEventListener(
    "submit",
    function (event) {
      if (locked && !event.target.closest(".terminal-dialog")) event.preventDefault();
    },
    true
  );

  document.addEventListener("keydown", function (event) {
    if (event.key === "F2" && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      openSwitch();
    }
  });
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-switch-user]");
    if (trigger) {
      event.preventDefault();
      openSwitch();
      return;
    }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) closer.closest("dialog").close();
  });

  document.body.addEventListener("terminal-locked", showLock);
  document.body.addEventListener("terminal-acted", function (event) {
    acted(event.detail);
  });

  // Polling (hx-trigger="every ...") and anything inside [data-background] is background:
  // it never keeps the terminal awake. At a locked terminal nothing else is sent.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    var trigger = (elt.getAttribute && elt.getAttribute("hx-trigger")) || "";
    if (/(^|[\s,])every\s/.test(trigger) || (elt.closest && elt.closest("[data-background]"))) {
      event.detail.headers["X-Background"] = "1";
    }
  });
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (locked && !(elt.closest && elt.closest(".terminal-dialog"))) event.preventDefault();
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) checkStatus();
  });

  scheduleCheck(parseFloat(root.dataset.secondsLeft));
})();
