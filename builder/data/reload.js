// Served only by `python build.py serve`, never part of the published site: reloads the page after each rebuild.
(function () {
  "use strict";
  var version = document.currentScript ? document.currentScript.getAttribute("data-version") : "0";
  var source = new EventSource("/__reload?since=" + encodeURIComponent(version || "0"));
  source.addEventListener("reload", function () {
    source.close();
    window.location.reload();
  });
}());
