"use strict";
// The canvas page: Ebiten owns this whole document (it appends its canvas to <body>), so the
// HTML shell embeds it in an iframe and calls window.kubesim (set by the Go program).
const tr = window.I18N ? window.I18N.t : (s) => s; // i18n.js, following the shell's language
if (new URLSearchParams(location.search).get("theme") === "dark") document.body.classList.add("dark");
window.kubesimFatal = (msg) => {
  const el = document.getElementById("fatal");
  el.textContent = tr("The simulator stopped because of a bug. Reload the page to start again.") + "\n\n" + msg;
  el.style.display = "block";
  try { if (parent !== window && parent.kubesimFatal) parent.kubesimFatal(msg); } catch (e) {}
};
window.kubesimFrame = (t) => { try { if (parent !== window && parent.kubesimFrame) parent.kubesimFrame(t); } catch (e) {} };
window.kubesimEvent = (json) => { try { if (parent.kubesimEvent) parent.kubesimEvent(json); } catch (e) {} };
window.kubesimReady = () => {
  document.getElementById("msg").remove();
  try { if (parent !== window && parent.kubesimReady) parent.kubesimReady(); } catch (e) {}
};
window.addEventListener("error", (e) => window.kubesimFatal(tr("Script error: {msg}", { msg: e.message })));
const go = new Go();
WebAssembly.instantiateStreaming(fetch("game.wasm"), go.importObject)
  .then((r) => { performance.mark("kubesim:wasm-compiled"); return go.run(r.instance); })
  .then(() => window.kubesimFatal(tr("The simulator stopped unexpectedly (the Go program exited).")))
  .catch((e) => window.kubesimFatal(tr("Could not start the simulator: {msg}", { msg: e })));
// Clicks select objects (the Go side hit-tests the frame and tells the shell).
document.addEventListener("click", (e) => { if (window.kubesim) window.kubesim.clickAt(e.clientX, e.clientY); });
