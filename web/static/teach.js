"use strict";
// kubesim teaching aids around app.js: the guarantee diamonds on the time slider (from
// kubesim.guarantees(): where maxUnavailable, maxSurge, StatefulSet order, traffic only to
// Ready pods or a disruption budget held or broke; a click goes there and explains why in
// the Why? panel) and presenter mode (presenter=1 or P: large type, no side panel, a
// clicker's keys go through the captions or lesson steps, B blanks, Esc leaves).
(() => {
  // Every string this file shows, in one place, in the page's language at the moment it
  // is shown (i18n.js; the switch changes it in place).
  const { t: tr } = window.I18N; // i18n.js
  const S = {
    get held() { return tr("held"); }, get broke() { return tr("broke"); },
    kind: (k) => ({ availability: tr("availability (maxUnavailable)"), surge: tr("surge (maxSurge)"), ordering: tr("StatefulSet order"),
      traffic: tr("traffic only to Ready pods"), budget: tr("disruption budget") })[k] || k,
    get computing() { return tr("checking guarantees…"); },
    get legend() { return tr("◆ guarantee held   ◆ broke"); },
    whyTitle: (held, t) => held ? tr("✓ Guarantee held at t = {t} s", { t }) : tr("✗ Guarantee broke at t = {t} s", { t }),
    get whyLabel() { return tr("Why: "); },
    close: "×", get closeTitle() { return tr("Close this explanation"); },
    get presenterOn() { return tr("Presenter mode: PageDown / → / Space next caption, PageUp / ← back, B blank, Esc leaves"); },
    get blankHint() { return tr("(blank: press B to come back)"); },
  };
  const $ = (id) => document.getElementById(id);
  const q = new URLSearchParams(location.search);
  const embed = document.body.classList.contains("embed");
  const sh = () => window.kubesimShell;
  const fmt = (t) => (Math.round(t * 10) / 10).toFixed(1);

  // Guarantee diamonds: polled until the bridge says the whole timeline is done, and again
  // whenever the timeline changes (another scenario, a user command, its end).
  let key = "", done = false, list = [], tick = 0;
  function poll() {
    const shell = sh(); if (!shell) return;
    const st = shell.status(); if (!st.loaded) return;
    const k = st.name + "|" + st.userActions + "|" + st.end;
    // Done: look again now and then (an Apply of edited.yaml keeps the same key).
    if (k === key && done && ++tick % 8) return;
    if (k !== key) { key = k; done = false; list = null; }
    const g = shell.call("guarantees") || {};
    done = !!g.done;
    const ms = g.markers || [];
    if (JSON.stringify(ms) !== JSON.stringify(list)) { list = ms; draw(st.end); }
    $("gmarks").classList.toggle("computing", !done);
    $("gmarks").title = done ? S.legend : S.computing;
  }
  function draw(end) {
    const box = $("gmarks"); box.textContent = "";
    // One diamond per pixel-ish moment and outcome, carrying every marker there; a broke
    // diamond is drawn over a held one.
    const groups = new Map();
    for (const m of list) {
      if (m.t > end) continue;
      const x = Math.round(1000 * m.t / Math.max(end, 0.001));
      const k = x + "|" + m.held;
      if (!groups.has(k)) groups.set(k, { x, held: m.held, ms: [] });
      groups.get(k).ms.push(m);
    }
    for (const g of groups.values()) {
      const b = document.createElement("i");
      b.className = g.held ? "held" : "broke";
      b.style.left = (g.x / 10) + "%";
      b.title = g.ms.map((m) => `${fmt(m.t)} s · ${S.kind(m.kind)} ${m.held ? S.held : S.broke}: ${m.text}`).join("\n");
      b.dataset.t = g.ms[0].t; b.dataset.kind = g.ms[0].kind;
      b.onclick = (e) => { e.stopPropagation(); open(g.ms); };
      box.append(b);
    }
  }
  // open goes to the markers' moment and explains them at the top of the Why? panel.
  function open(ms) {
    const shell = sh(), m0 = ms[0];
    shell.call("play", false);
    shell.call("seek", m0.t);
    const w = $("gwhy"); w.textContent = ""; w.hidden = false;
    w.className = m0.held ? "held" : "broke";
    const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
    const x = el("button", "", S.close); x.title = S.closeTitle;
    x.onclick = () => { w.hidden = true; };
    w.append(x, el("b", "", S.whyTitle(m0.held, fmt(m0.t))));
    for (const m of ms) {
      const why = el("div", "gexpl");
      why.append(el("b", "", S.whyLabel), m.why);
      w.append(el("div", "gkind", (S.kind(m.kind)) + " · " + m.object), el("div", "gtext", m.text), why);
    }
    if (!presenter) shell.panel(true);
    shell.focus(m0.object);
  }

  // Presenter mode.
  let presenter = false;
  function setPresenter(on) {
    presenter = on;
    document.documentElement.classList.toggle("presenter", on);
    document.body.classList.toggle("presenter", on);
    if (!on) blank(false);
    const shell = sh();
    if (shell) {
      shell.call("size", on ? "presenter" : (document.documentElement.classList.contains("large") ? "large" : ""));
      if (on) shell.panel(false);
      if (on) shell.print(S.presenterOn, "hint");
    }
  }
  function blank(on) {
    $("blank").hidden = !on;
    $("blank").textContent = on ? S.blankHint : "";
  }
  // The story's beats: the lesson's Continue when a lesson is on, else the captions.
  function captions() { return (sh().call("marks") || []).filter((m) => m.kind === "caption").map((m) => m.t); }
  function forward() {
    const cont = $("lessoncontinue");
    if (!$("lesson").hidden) { if (cont && !cont.disabled) cont.click(); return; }
    const st = sh().status();
    const next = captions().find((t) => t > st.t + 0.05);
    sh().call("playTo", next === undefined ? st.end : next);
    sh().refresh(true);
  }
  function back() {
    const st = sh().status();
    const prev = captions().filter((t) => t < st.t - 0.05).pop();
    sh().call("play", false);
    sh().call("seek", prev === undefined ? 0 : prev);
    sh().refresh(true);
  }

  // key is app.js's first look at a key: true when handled here.
  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    if (!$("blank").hidden) { blank(false); return true; } // any key brings the picture back
    const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (k === "p" && !embed) { setPresenter(!presenter); return true; }
    if (!presenter) return false;
    switch (k) {
      case "PageDown": case "ArrowRight": case " ": forward(); return true;
      case "PageUp": case "ArrowLeft": back(); return true;
      case "b": case ".": blank(true); return true; // clickers send B or . for "blank screen"
      case "Escape": setPresenter(false); return true;
    }
    return false;
  }

  // A language switch redraws the diamonds' tooltips and the legend.
  I18N.onChange(() => { if (list) draw(sh().status().end); $("gmarks").title = done ? S.legend : S.computing; });

  window.kubesimTeach = { key: onKey, presenter: setPresenter, guarantees: () => list, done: () => done };
  setInterval(poll, 250);
  if (q.get("presenter") === "1" && !embed) {
    // Once the canvas is up (app.js sets kubesimShell first, the bridge later).
    const wait = setInterval(() => { if (sh() && sh().status().loaded) { clearInterval(wait); setPresenter(true); } }, 100);
  }
})();
