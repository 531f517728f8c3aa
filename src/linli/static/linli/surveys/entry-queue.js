/* 入户登记: forms filled in on the phone wait in this queue (localStorage, so a lost connection or a closed tab
   loses nothing) until the server has them. Each form carries the key the device chose for it; sending it again
   after a timeout is safe, the server stores it once and answers the stored one.
   Sent one at a time, oldest first (a death form after its household's census form); retried with a growing pause
   (2 s, 4 s … 1 min) and at once when the browser says it is back online. A form the server refuses (its answers
   fail the form's rules, the household already has one) leaves the queue for the "未被接受" list, with the reasons,
   until the enumerator corrects it on the household's page or deletes it. */
(function () {
  "use strict";
  var STORE = "linli.entry.queue.v1";
  var PAUSE_MAX = 60000;
  var box = document.getElementById("entry-queue");
  var sending = false;
  var pause = 2000;
  var timer = null;
  var stopped = ""; // why sending waits for the enumerator (signed out)

  function load() {
    try {
      var items = JSON.parse(window.localStorage.getItem(STORE) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (e) {
      return [];
    }
  }

  function save(items) {
    window.localStorage.setItem(STORE, JSON.stringify(items));
    render();
  }

  function update(key, change) {
    save(load().map(function (item) { return item.key === key ? Object.assign(item, change) : item; }));
  }

  function remove(key) {
    save(load().filter(function (item) { return item.key !== key; }));
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function pending() {
    return load().filter(function (item) { return item.status === "pending"; });
  }

  function refused() {
    return load().filter(function (item) { return item.status === "refused"; });
  }

  function render() {
    if (!box) return;
    var waiting = pending().length;
    var bad = refused();
    box.hidden = !waiting && !bad.length;
    var text = [];
    if (waiting) text.push(interpolate(navigator.onLine ? gettext("待发送 %(count)s 份")
                                                        : gettext("待发送 %(count)s 份（无网络，恢复后自动发送）"),
                               { count: waiting }, true));
    if (stopped) text.push(stopped);
    if (bad.length) text.push(interpolate(gettext("未被接受 %(count)s 份"), { count: bad.length }, true));
    box.querySelector(".entry-queue-text").textContent = text.join("；");
    box.querySelector(".entry-queue-send").hidden = !waiting;
    var list = box.querySelector(".entry-queue-refused");
    list.textContent = "";
    bad.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.page;
      link.textContent = item.label + " " + item.form_label;
      li.appendChild(link);
      li.appendChild(document.createTextNode("：" + item.detail));
      var drop = document.createElement("button");
      drop.type = "button";
      drop.className = "btn btn-small";
      drop.textContent = gettext("删除");
      drop.setAttribute("data-drop", item.key);
      li.appendChild(drop);
      list.appendChild(li);
    });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(send, pause);
    pause = Math.min(pause * 2, PAUSE_MAX);
  }

  function body(item) {
    return JSON.stringify({ role: item.role, answers: item.answers, idempotency_key: item.key,
                            filled_at: item.filled_at, read_back: item.read_back });
  }

  function send() {
    if (sending || stopped) return;
    var next = pending()[0];
    if (!next) return;
    sending = true;
    // A request lost on a poor connection may never answer: give up on it and retry (the key keeps it single).
    var abort = new AbortController();
    var deadline = window.setTimeout(function () { abort.abort(); }, 30000);
    fetch(next.url, {
      method: "POST",
      signal: abort.signal,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token() },
      body: body(next)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        return { status: response.status, answer: answer };
      });
    }).then(function (result) {
      window.clearTimeout(deadline);
      sending = false;
      if (result.status === 200 || result.status === 201) {
        pause = 2000;
        remove(next.key);
        announce("entry:sent", { item: next, answer: result.answer });
        send();
      } else if (result.status === 401) {
        stopped = gettext("登录已过期，请重新登录，登录后自动发送");
        render();
      } else if (result.status >= 400 && result.status < 500 && result.status !== 408 && result.status !== 429) {
        var detail = result.answer.detail || gettext("服务器未接受");
        update(next.key, { status: "refused", detail: detail, errors: result.answer.errors || [] });
        announce("entry:refused", { item: next, answer: result.answer });
        send();
      } else {
        later();
      }
    }, function () {
      window.clearTimeout(deadline);
      sending = false; // no connection: keep it and try again
      render();
      later();
    });
  }

  function add(item) {
    var items = load().filter(function (old) {
      // a corrected form replaces the refused one it was filled from
      return !(old.status === "refused" && old.unit === item.unit && old.role === item.role);
    });
    item.key = item.key || uuid();
    item.status = "pending";
    items.push(item);
    save(items);
    pause = 2000;
    send();
    return item;
  }

  if (box) {
    box.addEventListener("click", function (event) {
      var drop = event.target.closest("[data-drop]");
      if (drop && window.confirm(gettext("删除这份未被接受的调查表？删除后需重新填写。"))) remove(drop.getAttribute("data-drop"));
      if (event.target.closest(".entry-queue-send")) {
        pause = 2000;
        send();
      }
    });
  }
  window.addEventListener("online", function () {
    pause = 2000;
    render();
    send();
  });
  window.addEventListener("offline", render);
  window.addEventListener("storage", function (event) { if (event.key === STORE) render(); });

  window.linliEntryQueue = { add: add, load: load, send: send, uuid: uuid };
  render();
  send();
})();
