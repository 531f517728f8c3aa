/* The photo picker of every form that takes photos ([data-photos]): 拍照 and 从相册选择 instead of the bare file box,
   previews with a way to take a photo out again, and phone photos of several MB shrunk before they leave the phone.

   Two ways to send them. Staff forms put the chosen photos into the form's own file box. The residents' form
   (data-upload: the address to send each photo to) sends each one as soon as it is chosen and keeps the token the
   server answers with in a checkbox named "photo", so photos survive the form coming back with errors; the server
   draws photos kept from an earlier round with the same markup. Without JavaScript the file box does the work. */
(function () {
  "use strict";

  var MAX_BYTES = 5 * 1024 * 1024;
  // Phone photos are often 4–12 MB; re-encoded at this size they stay sharp enough to see the problem.
  var SHRINK_ABOVE = 1.5 * 1024 * 1024;
  var MAX_SIDE = 2048;

  function canAssignFiles() {
    try {
      return !!new DataTransfer().files;
    } catch (e) {
      return false;
    }
  }

  function shrink(file) {
    var kind = (file.type || "").toLowerCase();
    var accepted = kind === "image/jpeg" || kind === "image/png" || kind === "image/webp";
    if (accepted && file.size <= SHRINK_ABOVE) return Promise.resolve(file);
    return new Promise(function (resolve) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          if (!blob) return resolve(file);
          var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", 0.85);
      };
      img.onerror = function () {
        URL.revokeObjectURL(url);
        resolve(file); // not something the browser can draw: the server says what is wrong with it
      };
      img.src = url;
    });
  }

  function preview(file, alt) {
    var img = document.createElement("img");
    img.src = URL.createObjectURL(file);
    img.alt = alt;
    img.onload = function () { URL.revokeObjectURL(img.src); };
    return img;
  }

  // A kept photo, as the server draws it too: unticking the box drops it (also without JavaScript).
  function keptItem(token, img) {
    var li = document.createElement("li");
    var label = document.createElement("label");
    var box = document.createElement("input");
    label.className = "photo-remove";
    label.title = gettext("删除这张照片");
    box.type = "checkbox";
    box.name = "photo";
    box.value = token;
    box.checked = true;
    box.className = "sr-only";
    label.appendChild(box);
    label.appendChild(document.createTextNode("×"));
    li.appendChild(img);
    li.appendChild(label);
    return li;
  }

  function setup(field) {
    field.setAttribute("data-photos-ready", "");
    var input = field.querySelector("input[type=file]:not([data-photo-source])");
    var picker = field.querySelector(".photo-picker");
    var list = field.querySelector(".photo-list");
    var note = field.querySelector(".photo-note");
    var form = field.closest("form");
    var upload = field.getAttribute("data-upload");
    var max = parseInt(field.getAttribute("data-max"), 10) || 6;
    if (!input || !picker || !list || !form || (!upload && !canAssignFiles())) return;
    var chosen = []; // staff forms: the files the form's box will send
    var pending = 0;
    var queue = Promise.resolve();

    input.hidden = true;
    input.tabIndex = -1;
    input.setAttribute("aria-hidden", "true");
    if (upload) input.disabled = true; // the photos went ahead; the box must not send them again
    picker.hidden = false;

    function say(text) { if (note) note.textContent = text; }

    function kept() { return list.querySelectorAll("input[name=photo]:checked").length; }

    function drawBusy() {
      Array.prototype.forEach.call(list.querySelectorAll("li.busy"), function (li) { li.remove(); });
      for (var k = 0; k < pending; k++) {
        var busy = document.createElement("li");
        busy.className = "busy";
        list.appendChild(busy);
      }
    }

    function drawChosen() {
      var dt = new DataTransfer();
      chosen.forEach(function (f) { dt.items.add(f); });
      input.files = dt.files;
      list.innerHTML = "";
      chosen.forEach(function (f, i) {
        var li = document.createElement("li");
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "photo-remove";
        remove.textContent = "×";
        remove.setAttribute("aria-label", interpolate(gettext("删除第%(number)s张照片"), { number: i + 1 }, true));
        remove.addEventListener("click", function () { chosen.splice(i, 1); drawChosen(); });
        li.appendChild(preview(f, interpolate(gettext("第%(number)s张照片"), { number: i + 1 }, true)));
        li.appendChild(remove);
        list.appendChild(li);
      });
      drawBusy();
    }

    function send(file) {
      var data = new FormData();
      data.append("token", form.elements.token.value);
      data.append("photo", file);
      Array.prototype.forEach.call(list.querySelectorAll("input[name=photo]:checked"), function (box) {
        data.append("photo", box.value); // the ones already kept count towards the limit
      });
      return fetch(upload, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value }
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (answer) {
        if (!answer.ok) throw new Error(answer.body.detail || gettext("照片上传失败，请重新选择。"));
        var li = keptItem(answer.body.token, preview(file, interpolate(gettext("已选照片：%(file)s"), { file: file.name }, true)));
        list.insertBefore(li, list.querySelector("li.busy"));
      }).catch(function (err) {
        say(err instanceof TypeError
            ? interpolate(gettext("网络不通，照片“%(file)s”没有上传，请稍后重新选择。"), { file: file.name }, true)
            : err.message);
      });
    }

    list.addEventListener("change", function (e) {
      if (e.target.name === "photo" && !e.target.checked) e.target.closest("li").remove();
    });

    Array.prototype.forEach.call(picker.querySelectorAll("[data-photo-source]"), function (source) {
      source.addEventListener("change", function () {
        var files = Array.prototype.slice.call(source.files || []);
        source.value = "";
        say("");
        var room = max - (upload ? kept() : chosen.length) - pending;
        if (files.length > room) {
          say(interpolate(gettext("照片最多%(max)s张，多出的%(extra)s张没有添加。"),
                             { max: max, extra: files.length - Math.max(room, 0) }, true));
          files = files.slice(0, Math.max(room, 0));
        }
        files.forEach(function (file) {
          pending++;
          // One at a time: photos keep their order, and a phone never holds several decoded 12-megapixel images.
          queue = queue.then(function () { return shrink(file); }).then(function (f) {
            if (f.size > MAX_BYTES) {
              say(interpolate(gettext("照片“%(file)s”超过5MB，没有添加。"), { file: file.name }, true));
              return;
            }
            if (upload) return send(f);
            chosen.push(f);
          }).then(function () {
            pending--;
            if (upload) drawBusy();
            else drawChosen();
          });
        });
        drawBusy();
      });
    });

    form.addEventListener("submit", function (e) {
      if (pending > 0) {
        e.preventDefault();
        e.stopImmediatePropagation();
        say(gettext("照片还在处理中，请稍等片刻再提交。"));
      }
    });
  }

  function setupWithin(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-photos]:not([data-photos-ready])"), setup);
  }
  setupWithin(document);
  // A form fetched into the page later (a folded action of the case page, unfolded) gets its picker too.
  document.addEventListener("htmx:load", function (event) { setupWithin(event.detail.elt); });
})();
