// The review screen: live counters against each platform's limits, and "더 보기" folds.
// The server checks the same limits on save (content.editing); this is the owner's guide.
(function () {
  "use strict";
  // Threads counts each part of an emoji by its UTF-8 bytes (content.specs.threads_length).
  var EMOJI_PART = /[\p{Extended_Pictographic}\u200d\u20e3\ufe0f\u{1f1e6}-\u{1f1ff}\u{1f3fb}-\u{1f3ff}\u{1f9b0}-\u{1f9b3}\u{e0020}-\u{e007f}]/u;
  var encoder = new TextEncoder();
  function tags(text) { return text.split(/[\s,]+/).filter(Boolean); }
  var COUNT = {
    chars: function (t) { return Array.from(t).length; },
    bytes: function (t) { return encoder.encode(t).length; },
    threads: function (t) {
      return Array.from(t).reduce(function (n, ch) {
        return n + (EMOJI_PART.test(ch) ? encoder.encode(ch).length : 1);
      }, 0);
    },
    tags: function (t) { return tags(t).length; },
    tag_chars: function (t) { return tags(t).join("").length; }
  };
  var UNIT = { chars: "자", bytes: "바이트", threads: "자(이모지는 바이트)", tags: "개", tag_chars: "자" };

  function update(field) {
    var limit = Number(field.dataset.limit), unit = field.dataset.unit || "chars";
    var text = field.value.trim();
    var extra = field.dataset.with && document.getElementById(field.dataset.with);
    if (extra && extra.value.trim()) { text += "\n\n" + tags(extra.value).join(" "); }
    var used = COUNT[unit](unit === "tags" || unit === "tag_chars" ? field.value : text);
    var out = document.getElementById(field.id + "-count");
    out.textContent = used.toLocaleString("ko-KR") + " / " + limit.toLocaleString("ko-KR") + UNIT[unit];
    out.classList.toggle("over", used > limit);
  }

  document.querySelectorAll("[data-limit]").forEach(function (field) {
    field.addEventListener("input", function () { update(field); });
    update(field);
    document.querySelectorAll("[data-with='" + field.id + "']").forEach(function (main) {
      field.addEventListener("input", function () { update(main); });
    });
  });

  // The hashtag editor: the tags as chips under the box, each with a button that takes
  // it out; typing in the box stays the way to add one.
  document.querySelectorAll("input[data-tags]").forEach(function (field) {
    var list = document.createElement("ul");
    list.className = "tag-chips";
    field.insertAdjacentElement("afterend", list);
    function draw() {
      list.textContent = "";
      tags(field.value).forEach(function (tag, index) {
        var item = document.createElement("li"), remove = document.createElement("button");
        item.textContent = tag + " ";
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", tag + " 빼기");
        remove.addEventListener("click", function () {
          var kept = tags(field.value);
          kept.splice(index, 1);
          field.value = kept.join(" ");
          field.dispatchEvent(new Event("input"));
          field.focus();
        });
        item.appendChild(remove);
        list.appendChild(item);
      });
    }
    field.addEventListener("input", draw);
    draw();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-unfold]");
    if (!button) { return; }
    var more = button.parentElement;
    more.nextElementSibling.hidden = false;
    more.remove();
  });
})();
