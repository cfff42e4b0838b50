/* Resumes a lesson video where the learner left off and reports the position every few seconds. */
(function () {
  "use strict";
  var video = document.getElementById("player");
  if (!video) return;
  var start = parseFloat(video.dataset.position || "0");
  video.addEventListener("loadedmetadata", function () {
    if (start > 0 && start < video.duration - 2) video.currentTime = start;
  });
  // The keyboard seeks: with the video focused, the left and right arrows go back and forward five
  // seconds (Space plays and pauses, as the browser's own controls do).
  video.addEventListener("keydown", function (event) {
    var step = { ArrowLeft: -5, ArrowRight: 5 }[event.key];
    if (!step || event.altKey || event.ctrlKey || event.metaKey || !isFinite(video.duration)) return;
    event.preventDefault();
    video.currentTime = Math.min(video.duration, Math.max(0, video.currentTime + step));
  });
  var url = video.dataset.report;
  if (!url) return;
  var token = (document.body.getAttribute("hx-headers") || "").match(/"X-CSRFToken": "([^"]+)"/);
  var pending = [];
  // Event times on the server's clock (as of page load), so a device whose clock runs fast is not
  // refused: the server takes no events from the future.
  var skew = (parseInt(video.dataset.serverTime || "0", 10) * 1000 || Date.now()) - Date.now();
  function record(completed) {
    pending.push({ lesson: parseInt(video.dataset.lesson, 10), position: video.currentTime,
                   completed: completed, at: new Date(Date.now() + skew).toISOString() });
  }
  function flush(useBeacon) {
    if (!pending.length) return;
    var body = JSON.stringify({ events: pending.splice(0) });
    fetch(url, { method: "POST", body: body, keepalive: !!useBeacon, credentials: "same-origin",
                 headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token[1] : "" } });
  }
  setInterval(function () { if (!video.paused) record(false); flush(false); }, 5000);
  video.addEventListener("pause", function () { record(false); });
  video.addEventListener("ended", function () { record(true); flush(false); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { record(false); flush(true); }
  });
})();
