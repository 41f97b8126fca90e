/* The clerk console's live part: the kiosks' alerts and the queue's changes, asked of
 * /live every few seconds with the session's cookie. When the queue changed and the clerk
 * is not typing, the queue page reloads itself. Nothing is fetched from elsewhere. */
(function () {
  "use strict";
  var box = document.getElementById("alerts");
  var stamp = document.body.getAttribute("data-stamp");
  var live = document.body.getAttribute("data-live") === "1";
  function typing() {
    var a = document.activeElement;
    return a && (a.tagName === "INPUT" || a.tagName === "TEXTAREA" || a.tagName === "SELECT");
  }
  function show(alerts) {
    if (!box) return;
    var ul = document.createElement("ul");
    if (!alerts.length) {
      var li = document.createElement("li");
      li.className = "none";
      li.textContent = "暂无提醒";
      ul.appendChild(li);
    }
    alerts.forEach(function (a) {
      var li = document.createElement("li");
      li.textContent = a.text; /* text, never HTML */
      ul.appendChild(li);
    });
    var old = box.querySelector("ul");
    if (old) box.replaceChild(ul, old); else box.appendChild(ul);
  }
  function poll() {
    fetch("/live", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) { location.href = "/login"; return null; }
        return r.ok ? r.json() : null;
      })
      .then(function (j) {
        if (!j) return;
        show(j.alerts || []);
        var off = document.getElementById("offline");
        if (off) off.hidden = true;
        if (live && stamp && j.stamp !== stamp && !typing()) location.reload();
      })
      .catch(function () {
        var off = document.getElementById("offline");
        if (off) off.hidden = false;
      });
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  setInterval(poll, 3000);
})();
