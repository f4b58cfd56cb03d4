// The calendar: drag a post onto another day to move it there at the same local time.
// The same move as each post's "옮기기" form (which keyboards and phones use); the
// server refuses the past and a post already out, and the page says why.
(function () {
  "use strict";
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!csrf) { return; }
  var dragged = null;
  document.querySelectorAll(".entry[data-move]").forEach(function (entry) {
    entry.draggable = true;
    entry.addEventListener("dragstart", function (event) {
      dragged = entry;
      event.dataTransfer.effectAllowed = "move";
      entry.classList.add("dragging");
    });
    entry.addEventListener("dragend", function () { entry.classList.remove("dragging"); });
  });
  document.querySelectorAll(".day[data-date]").forEach(function (day) {
    day.addEventListener("dragover", function (event) {
      if (dragged) { event.preventDefault(); day.classList.add("drop"); }
    });
    day.addEventListener("dragleave", function () { day.classList.remove("drop"); });
    day.addEventListener("drop", function (event) {
      event.preventDefault();
      day.classList.remove("drop");
      if (!dragged) { return; }
      var form = document.createElement("form");
      form.method = "post";
      form.action = dragged.dataset.move;
      [["csrfmiddlewaretoken", csrf.value], ["day", day.dataset.date],
       ["back", window.location.pathname + window.location.search]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
        form.appendChild(input);
      });
      document.body.appendChild(form);
      form.submit();
    });
  });
})();
