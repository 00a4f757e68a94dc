"use strict";
// kubesim clip recorder: the Record button (or R) records the canvas (canvas.captureStream
// and MediaRecorder) to a WebM file, VP9 when the browser has it, else VP8, with the elapsed
// time on the button; Stop downloads kubesim-<scenario>-<t>.webm (t: the simulated time the
// clip starts at). Browsers without MediaRecorder get a message instead.
(() => {
  // Every string this file shows, in one place, in the page's language at the moment it
  // is shown (i18n.js).
  const { t: tr } = window.I18N; // i18n.js
  const S = {
    get rec() { return tr("● Rec"); }, stop: (s) => tr("■ Stop {s}", { s }),
    get recTitle() { return tr("Record the picture to a WebM clip (R)"); },
    get stopTitle() { return tr("Stop recording and download the clip (R)"); },
    get unsupported() { return tr("Recording needs MediaRecorder and canvas.captureStream, which this browser does not have; try a recent Chrome, Edge or Firefox."); },
    get noCanvas() { return tr("Nothing to record yet: the picture has not started."); },
    failed: (m) => tr("Recording failed: {m}", { m }),
    saved: (name, kb) => tr("Recorded {name} ({kb} kB).", { name, kb }),
    started: (codec) => tr("Recording the picture ({codec}); press Stop or R to save it.", { codec }),
  };
  const $ = (id) => document.getElementById(id);
  const sh = () => window.kubesimShell;
  const say = (text, cls) => { if (sh()) sh().print(text, cls); };
  let rec = null, chunks = [], started = 0, timer = 0, name = "", done = null;

  function canvas() {
    try { return $("canvas").contentDocument.querySelector("canvas"); } catch (e) { return null; }
  }
  // The codec: VP9, else VP8, else whatever WebM the browser writes.
  function mimeType() {
    for (const t of ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"]) {
      if (MediaRecorder.isTypeSupported(t)) return t;
    }
    return "";
  }
  function supported() {
    return typeof MediaRecorder === "function" && typeof HTMLCanvasElement.prototype.captureStream === "function";
  }

  // start records until stop; it returns false with a message when it cannot.
  function start() {
    if (rec) return true;
    if (!supported()) { say(S.unsupported, "err"); return false; }
    const c = canvas();
    if (!c) { say(S.noCanvas, "err"); return false; }
    const st = sh() ? sh().status() : {};
    const scen = String(st.name || "scenario").replace(/\.ya?ml$/, "").replace(/[^A-Za-z0-9._-]+/g, "-");
    name = `kubesim-${scen}-${(Math.round((st.t || 0) * 10) / 10).toFixed(1)}s.webm`;
    const type = mimeType();
    try {
      rec = new MediaRecorder(c.captureStream(30), type ? { mimeType: type } : {});
    } catch (e) { rec = null; say(S.failed(e.message), "err"); return false; }
    chunks = [];
    rec.ondataavailable = (e) => { if (e.data && e.data.size) chunks.push(e.data); };
    rec.onerror = (e) => say(S.failed(e.error ? e.error.message : "error"), "err");
    let resolve; done = new Promise((r) => { resolve = r; });
    rec.onstop = () => {
      const blob = new Blob(chunks, { type: "video/webm" });
      window.kubesimRecord.last = blob;
      clearInterval(timer); rec = null; button();
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob); a.download = name;
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      say(S.saved(name, Math.ceil(blob.size / 1024)));
      resolve(blob);
    };
    rec.start(500);
    started = performance.now();
    timer = setInterval(button, 250);
    button();
    say(S.started((type.match(/codecs=(\w+)/) || [, "webm"])[1]));
    return true;
  }
  // stop ends the recording; the promise gives the clip's Blob.
  function stop() {
    if (!rec) return Promise.resolve(window.kubesimRecord.last || null);
    const p = done;
    rec.stop();
    return p;
  }
  function button() {
    const b = $("record");
    const on = !!rec;
    const s = Math.floor((performance.now() - started) / 1000);
    b.textContent = on ? S.stop(`${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`) : S.rec;
    b.title = on ? S.stopTitle : S.recTitle;
    b.classList.toggle("recording", on);
  }
  const toggle = () => (rec ? stop() : start());
  $("record").onclick = toggle;
  const onKey = (e) => {
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    if ((e.key === "r" || e.key === "R") && !e.ctrlKey && !e.metaKey && !e.altKey) { toggle(); e.preventDefault(); }
  };
  document.addEventListener("keydown", onKey);
  $("canvas").addEventListener("load", () => {
    try { $("canvas").contentWindow.document.addEventListener("keydown", onKey); } catch (e) {}
  });
  I18N.onChange(button);
  window.kubesimRecord = { start, stop, supported, last: null };
})();
