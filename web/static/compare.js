"use strict";
// kubesim side by side (compare.html): two canvas iframes, each with its own engine, and one
// clock in this shell. Play, pause, step, seek and speed act on the clock; every frame it
// shows the same virtual moment on both sides (kubesim.follow), so A and B never drift.
(() => {
  const $ = (id) => document.getElementById(id);
  const { t: tr, pick } = window.I18N; // i18n.js
  const q = new URLSearchParams(location.search);
  const embed = q.has("embed") && q.get("embed") !== "0";
  const controls = q.get("controls") || (embed ? "minimal" : "full");
  let theme = q.get("theme") === "dark" ? "dark" : "light";
  const large = q.get("size") === "large";
  document.body.classList.toggle("embed", embed);
  document.body.classList.add("controls-" + controls);
  document.body.classList.toggle("dark", theme === "dark");
  document.documentElement.classList.toggle("large", large);

  const frames = [$("canvasA"), $("canvasB")];
  const sides = [$("sideA"), $("sideB")];
  let K = [null, null];     // each iframe's window.kubesim
  let T = 0, end = 0;       // the shared virtual time and the longer side's end, in seconds
  let playing = false, speed = 1, last = 0, shown = -1, res = null;

  function call(i, name, ...args) {
    if (!K[i]) return {};
    const r = K[i][name](...args);
    try { return typeof r === "string" ? JSON.parse(r) : r; } catch (e) { return r; }
  }
  const both = (name, ...args) => [0, 1].map((i) => call(i, name, ...args));
  function fail(msg) { const el = $("cmperror"); el.textContent = msg; el.hidden = false; }

  // The canvas pages call these on their parent; this shell has two, so it polls for them.
  window.kubesimFatal = (msg) => { $("fatal").textContent = tr("The simulator stopped: {msg}", { msg: msg.split("\n")[0] }); $("fatal").hidden = false; };
  window.kubesimReady = () => {};
  window.kubesimFrame = () => {};
  window.kubesimEvent = () => {};
  for (const f of frames) {
    f.src = "canvas.html" + (theme === "dark" ? "?theme=dark" : "");
    f.addEventListener("load", () => { try { f.contentWindow.document.addEventListener("keydown", onKey); } catch (e) {} });
  }
  const wait = setInterval(() => {
    const ks = frames.map((f) => f.contentWindow && f.contentWindow.kubesim);
    if (!ks[0] || !ks[1]) return;
    clearInterval(wait);
    K = ks;
    try { init(); } catch (e) { fail(tr("Could not start: {msg}", { msg: e.message })); }
  }, 50);

  // query reads the URL's comparison: c=NAME (the catalogue), or scenario=A [b=B] with
  // seta=/setb= patches (repeatable) and labela=/labelb=.
  function query() {
    const o = { scenario: q.get("scenario") || "", b: q.get("b") || "", seta: q.getAll("seta"), setb: q.getAll("setb"),
      labela: q.get("labela") || "", labelb: q.get("labelb") || "" };
    if (q.get("seed")) o.seed = Number(q.get("seed"));
    return o;
  }

  function init() {
    both("theme", theme);
    if (large) both("size", "large");
    const list = call(0, "comparisons") || [];
    for (const c of list) {
      const o = document.createElement("option");
      o.value = c.name; o.textContent = pick(c.title, c.titleZh); $("cmp").append(o);
      o.dataset.en = c.title; o.dataset.zh = c.titleZh || "";
    }
    const url = !q.get("c") && q.get("scenario");
    if (url) {
      const o = document.createElement("option");
      o.value = ""; o.id = "fromlink"; o.textContent = fromLink();
      $("cmp").prepend(o);
    }
    open(url ? "" : (q.get("c") || (list[0] || {}).name || ""), url ? query() : null);
    if (q.get("t")) {
      const t = Number(q.get("t"));
      if (t >= 0 && t <= end) seek(t);
      else fail(tr("t={v} refused: want a time in seconds from 0 to {end}, the end of this comparison", { v: q.get("t"), end }));
    }
    if (q.get("speed")) setSpeed(Number(q.get("speed")));
    playing = res !== null && (q.has("autoplay") ? q.get("autoplay") !== "0" : true);
    requestAnimationFrame(frame);
  }

  // fromLink names the URL's comparison in the picker.
  function fromLink() {
    return q.get("b") ? tr("From the link: {a} vs {b}", { a: q.get("scenario"), b: q.get("b") }) : tr("From the link: {a}", { a: q.get("scenario") });
  }

  // open loads a comparison: both sides on the same seed, paused at t = 0.
  function open(name, urlQuery) {
    $("cmperror").hidden = true;
    const r = call(0, "comparison", name, urlQuery);
    if (!r || r.error) { fail(tr("This comparison cannot be shown:\n{msg}", { msg: (r && r.error) || tr("no answer from the simulator") })); res = null; return; }
    for (let i = 0; i < 2; i++) {
      const s = r.sides[i];
      const l = call(i, "load", s.name, s.text, r.seed);
      if (l.error) { fail(tr("Side {side} ({name}) does not load:\n{msg}", { side: "AB"[i], name: s.name, msg: l.error })); res = null; return; }
      call(i, "play", false);
      const head = sides[i].querySelector(".sidehead");
      head.querySelector(".label").textContent = s.label;
      const diff = head.querySelector(".diff");
      diff.textContent = s.diff.join(", ");
      diff.title = diff.textContent + (s.diff[0] === s.title ? "" : tr(" (scenario {name})", { name: s.name }));
    }
    res = r; $("cmp").value = name;
    about();
    end = Math.max(...both("status").map((s) => s.end || 0));
    T = 0; shown = 0; playing = false;
    both("follow", 0, true);
    show(true);
  }

  // about shows the comparison's title and description in the page's language.
  function about() {
    $("ctitle").textContent = pick(res.title, res.titleZh);
    $("cdesc").textContent = pick(res.description, res.descriptionZh);
    document.title = "kubesim: " + pick(res.title, res.titleZh);
  }

  // ms is a time as the engines hold it, a whole number of milliseconds.
  function ms(t) { return Math.round(t * 1000) / 1000; }
  function fmt(t) { return (Math.round(t * 10) / 10).toFixed(1); }

  // frame advances the clock by the wall time times the speed, like a single page's Tick
  // (at most 250 ms at once, so a background tab does not jump minutes).
  function frame(now) {
    if (playing && last) {
      T = Math.min(end, T + Math.min(now - last, 250) * speed / 1000);
      if (T >= end) playing = false;
    }
    last = now;
    const t = ms(T);
    if (t !== shown) { both("follow", t, false); shown = t; }
    show(false);
    requestAnimationFrame(frame);
  }

  let lastCounts = 0;
  function show(force) {
    $("clock").textContent = "t = " + fmt(T) + " s";
    $("play").textContent = playing ? tr("Pause") : tr("Play");
    $("play2").textContent = playing ? "❚❚" : "▶";
    const sl = $("slider");
    sl.max = String(end);
    if (document.activeElement !== sl || force) sl.value = String(T);
    $("tlabel").textContent = fmt(T) + " / " + Math.round(end) + " s";
    const now = performance.now();
    if (!force && now - lastCounts < 100) return;
    lastCounts = now;
    for (let i = 0; i < 2; i++) counts(i);
  }

  // counts prints a side's pods and how many of them run the workload's current template
  // (status.updatedReplicas, kubectl's UP-TO-DATE); its card in the picture has the rest.
  function counts(i) {
    const c = call(i, "counts");
    const el = sides[i].querySelector(".counts");
    if (!c || c.error) { el.textContent = (c && c.error) || ""; return; }
    el.textContent = "";
    const add = (text, strong) => {
      if (el.childNodes.length) el.append(" · ");
      if (strong === undefined) { el.append(text); return; }
      const b = document.createElement("b"); b.textContent = strong; el.append(b, " " + text);
    };
    add(c.pods === 1 ? tr("pod") : tr("pods"), String(c.pods)); add(tr("ready"), String(c.ready));
    if (c.terminating) add(tr("terminating"), String(c.terminating));
    if (c.workload) add(tr("up-to-date"), String(c.updated));
    $("sum" + "AB"[i]).textContent = c.pods === 1 ? tr("{pods} pod, {ready} ready", c) : tr("{pods} pods, {ready} ready", c);
    el.dataset.pods = c.pods; el.dataset.t = c.t;
  }

  function seek(t) {
    T = ms(Math.max(0, Math.min(end, t)));
    both("follow", T, true); shown = T;
    show(true);
  }
  // step moves both sides to the next moment at which either changes.
  function step() {
    playing = false;
    const ts = both("step").map((s) => s.t).filter((t) => t > T);
    seek(ts.length ? Math.min(...ts) : end);
  }
  function setSpeed(v) {
    speed = Math.min(100, Math.max(0.1, Number.isFinite(v) ? v : 1));
    $("speed").value = String(speed);
    if ($("speed").value !== String(speed)) { // not one of the menu's speeds
      const o = document.createElement("option"); o.value = String(speed); o.textContent = speed + "×";
      $("speed").append(o); $("speed").value = String(speed);
    }
  }
  function toggle() {
    if (!res) return;
    if (!playing && T >= end) seek(0);
    playing = !playing; last = 0;
    show(true);
  }

  $("play").onclick = toggle; $("play2").onclick = toggle;
  $("step").onclick = step;
  $("reset").onclick = () => { playing = false; seek(0); };
  $("speed").onchange = () => setSpeed(Number($("speed").value));
  $("slider").addEventListener("input", () => seek(Number($("slider").value)));
  $("cmp").onchange = () => { if ($("cmp").value) { open($("cmp").value, null); playing = !!res; last = 0; } };
  $("theme").onclick = () => {
    theme = theme === "dark" ? "light" : "dark";
    document.body.classList.toggle("dark", theme === "dark");
    both("theme", theme);
  };
  $("share").onclick = () => {
    const u = new URLSearchParams(q);
    for (const k of ["t", "autoplay", "embed", "controls"]) u.delete(k);
    if ($("cmp").value) { for (const k of ["scenario", "b", "seta", "setb", "labela", "labelb"]) u.delete(k); u.set("c", $("cmp").value); }
    u.set("t", fmt(T));
    if (speed !== 1) u.set("speed", String(speed));
    if (I18N.lang === "zh") u.set("lang", "zh"); else u.delete("lang");
    const url = location.origin + location.pathname + "?" + u.toString();
    navigator.clipboard?.writeText(url).catch(() => {});
    $("share").title = tr("Copied: {url}", { url });
    $("share").dataset.url = url;
  };

  function onKey(e) {
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT") && t.id !== "slider") return;
    const speeds = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 100];
    const i = speeds.indexOf(speed);
    switch (e.key) {
      case " ": toggle(); break;
      case "ArrowRight": case "PageDown": step(); break;
      case "ArrowLeft": case "PageUp": playing = false; seek(T - (e.shiftKey ? 10 : 1)); break;
      case "+": case "=": setSpeed(speeds[Math.min(speeds.length - 1, i + 1)] || 1); break;
      case "-": setSpeed(speeds[Math.max(0, i - 1)] || 1); break;
      case "Home": playing = false; seek(0); break;
      default: return;
    }
    e.preventDefault();
  }
  document.addEventListener("keydown", onKey);

  // The language switch (i18n.js): the same comparison at the same moment, redrawn.
  I18N.onChange(() => {
    for (const o of $("cmp").querySelectorAll("option[data-en]")) o.textContent = pick(o.dataset.en, o.dataset.zh);
    if ($("fromlink")) $("fromlink").textContent = fromLink();
    if (res) about();
    show(true);
  });

  // For tests and tours: the shared clock and what each side shows.
  window.kubesimCompare = {
    status: () => ({ t: ms(T), end, playing, speed, loaded: !!res, sides: [0, 1].map((i) => call(i, "status")) }),
    counts: () => [0, 1].map((i) => call(i, "counts")),
    seek, step, play: (on) => { if (!!on !== playing) toggle(); },
  };
})();
