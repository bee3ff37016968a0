// Live notices: the menu's unread count, and new notices at the top of the inbox page.
// Follows the same server-sent event stream as the API (/api/v1/me/notifications/stream).
(function () {
  "use strict";
  if (!window.EventSource) return;
  var live = document.getElementById("notices-live");
  var lang = live ? live.dataset.lang : (document.documentElement.lang === "en" ? "en" : "zh-CN");
  var source = new EventSource("/api/v1/me/notifications/stream?lang=" + encodeURIComponent(lang));

  function bump() {
    document.querySelectorAll(".inbox-link .count").forEach(function (badge) {
      var n = (parseInt(badge.dataset.unread, 10) || 0) + 1;
      badge.dataset.unread = String(n);
      badge.textContent = lang === "en" ? n + " unread" : n + " 条未读";
      badge.hidden = false;
    });
  }

  function show(notice) {
    var list = document.getElementById("notices");
    if (!list || !live) return;
    var none = document.getElementById("notices-none");
    if (none) none.remove();
    var item = document.createElement("li");
    item.className = "card notice unread";
    var mark = document.createElement("span");
    mark.className = "badge";
    mark.textContent = "● " + live.dataset.unreadWord;
    item.appendChild(mark);
    item.appendChild(document.createElement("br"));
    var text = document.createElement(notice.link ? "a" : "span");
    if (notice.link) text.href = "/inbox/" + notice.id;
    text.textContent = notice.title || "";
    item.appendChild(text);
    list.insertBefore(item, list.firstChild);
  }

  source.addEventListener("notification", function (event) {
    var notice;
    try { notice = JSON.parse(event.data); } catch (e) { return; }
    bump();
    show(notice);
  });
})();
