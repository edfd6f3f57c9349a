// azureml-local Studio: follow a running run's log, refresh a live graph, copy examples. No libraries.
(function () {
  "use strict";

  function followLog(pre) {
    var run = pre.dataset.run, name = pre.dataset.name, offset = 0, done = false;
    function poll() {
      var url = "/studio/runs/" + encodeURIComponent(run) + "/log?name=" + encodeURIComponent(name) + "&offset=" + offset;
      fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
        var atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
        if (data.text) { pre.appendChild(document.createTextNode(data.text)); }
        offset = data.offset;
        if (atBottom) { pre.scrollTop = pre.scrollHeight; }
        pre.dataset.offset = String(offset);
        pre.dataset.status = data.status;
        if (data.active) { setTimeout(poll, 1000); }
        else if (!done) { done = true; if (pre.dataset.active === "1") { setTimeout(function () { location.reload(); }, 300); } }
      }).catch(function () { setTimeout(poll, 2000); });
    }
    poll();
  }

  function refreshGraph(box) {
    var head = document.getElementById("run-head");
    if (!head || head.dataset.active !== "1") { return; }
    setInterval(function () {
      fetch(box.dataset.src, {credentials: "same-origin"}).then(function (r) { return r.text(); })
        .then(function (svg) { box.innerHTML = svg; });
    }, 2000);
  }

  function copyButtons() {
    document.querySelectorAll("button.copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = document.getElementById(button.dataset.target).textContent;
        var finish = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(finish, function () { fallback(text); finish(); });
        } else { fallback(text); finish(); }
      });
    });
  }

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
  }

  function reloadWhileActive() {
    // a run page without a log (queued) reloads until the run starts
    var head = document.getElementById("run-head");
    if (head && head.dataset.active === "1" && !document.getElementById("log")) {
      setTimeout(function () { location.reload(); }, 2000);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var pre = document.getElementById("log");
    if (pre) { followLog(pre); }
    var box = document.getElementById("graph");
    if (box) { refreshGraph(box); }
    copyButtons();
    reloadWhileActive();
  });
})();
