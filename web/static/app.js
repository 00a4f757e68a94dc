"use strict";
// kubesim shell: the controls, panels and console around the canvas iframe. The canvas page
// runs the Go simulator and exposes window.kubesim; every function there returns JSON.
(() => {
  const $ = (id) => document.getElementById(id);
  const { t: tr, pick } = window.I18N; // i18n.js: UI strings in English or Chinese
  const q = new URLSearchParams(location.search);
  const embed = (q.has("embed") && q.get("embed") !== "0") || /embed\.html$/.test(location.pathname);
  const controls = q.get("controls") || (embed ? "minimal" : "full");
  let theme = q.get("theme") === "dark" ? "dark" : "light";
  let K = null;          // the iframe's window.kubesim
  let st = {};           // last status
  let selected = "";
  let lastEventsKey = "", lastWhyKey = "";
  let tab = "why";
  let shownName = "";
  let applying = false;  // a sliced Apply is computing t = 0
  const history = []; let hpos = 0;

  document.body.classList.toggle("embed", embed);
  document.body.classList.add("controls-" + controls);
  document.body.classList.toggle("dark", theme === "dark");
  // Presenter size: a larger type scale for a projector (html.large, every size is in rem).
  let large = q.get("size") === "large";
  document.documentElement.classList.toggle("large", large);

  function call(name, ...args) {
    if (!K) return {};
    const r = K[name](...args);
    try { return typeof r === "string" ? JSON.parse(r) : r; } catch (e) { return r; }
  }
  function fatal(msg) {
    const el = $("fatal");
    el.textContent = tr("The simulator stopped: {msg}\nReload the page to start again. The full message is shown over the picture; please report it.",
      { msg: msg.split("\n")[0].replace(/^kubesim stopped[^:]*: /, "") });
    el.hidden = false;
  }
  window.kubesimFatal = fatal;

  // For teach.js and record.js (guarantee diamonds, presenter mode, recording).
  window.kubesimShell = { call, status: () => st, refresh: (f) => refresh(f), print, panel: (o) => panel(o),
    focus: (ref) => { selected = ref; lastWhyKey = ""; call("select", ref); if (tab !== "why") showTab("why"); else refresh(true); } };
  window.kubesimReady = () => {
    K = $("canvas").contentWindow.kubesim;
    try { init(); } catch (e) { fatal(tr("Could not start: {msg}", { msg: e.message })); }
  };
  window.kubesimEvent = (json) => {
    const ev = JSON.parse(json);
    if (ev.type === "select") onSelect(ev.data);
    if (ev.type === "error") print(ev.data, "err");
  };
  $("canvas").src = "canvas.html" + (theme === "dark" ? "?theme=dark" : "");

  function init() {
    call("theme", theme);
    if (large) call("size", "large");
    const list = call("scenarios") || [];
    // Lessons (lesson-*.yaml: a Scenario with a Lesson document) are listed in their own group.
    const lessons = document.createElement("optgroup");
    lessons.label = tr("Lessons");
    for (const s of list) {
      const o = document.createElement("option");
      o.value = s.name; o.textContent = pick(s.title, s.titleZh) || s.name;
      o.dataset.en = s.title || s.name; o.dataset.zh = s.titleZh || "";
      (s.name.startsWith("lesson-") ? lessons : $("scenario")).append(o);
    }
    if (lessons.children.length) $("scenario").append(lessons);
    let r;
    if (q.get("s")) r = call("openShare", q.get("s"));
    if (!r || r.error) {
      if (r && r.error) print(tr("share link refused: {msg}", { msg: r.error.replace(/^share: /, "") }), "err");
      const name = q.get("scenario") || "rolling-update.yaml";
      r = load(name, "", Number(q.get("seed") || 0));
      if (r.error && name !== "rolling-update.yaml") r = load("rolling-update.yaml", "", 0);
      if (q.get("t")) seekOption(q.get("t"));
      if (q.get("speed")) call("speed", Number(q.get("speed")));
    }
    const autoplay = q.has("autoplay") ? q.get("autoplay") !== "0" : !q.get("s");
    call("play", autoplay);
    lessonStart();
    hint();
    refresh(true);
    setInterval(() => refresh(false), 100);
  }

  // The t URL option: seconds within the scenario; anything else is refused with a message.
  function seekOption(v) {
    const t = Number(v), end = call("status").end;
    if (t >= 0 && t <= end) call("seek", t);
    else print(tr("t={v} refused: want a time in seconds from 0 to {end}, the end of this scenario", { v, end }), "err");
  }

  // hint prints commands to try, for the workloads the scenario has, one per short line
  // (a narrow console must not wrap them).
  function hint() {
    const objs = call("objects") || [];
    const first = (kind) => ((objs.find((o) => o.kind === kind) || {}).name || "").split("/").pop();
    const pod = first("Pod") || "POD";
    const lines = [tr("# Try (they run at the moment shown):"), "kubectl get pods"];
    const sts = first("StatefulSet"), dep = first("Deployment");
    if (sts) lines.push("kubectl get pvc", `kubectl describe sts ${sts}`, `kubectl scale sts/${sts} --replicas=5`);
    else if (dep) lines.push(`kubectl describe deploy ${dep}`, `kubectl scale deploy/${dep} --replicas=6`);
    lines.push(`kubectl logs ${pod}`);
    const node = first("Node");
    if (node) lines.push(`fail node/${node}`);
    print(lines.map((l, i) => (i ? "#   " : "") + l).join("\n"), "hint");
  }

  function load(name, text, seed) {
    const r = call("load", name, text, seed || 0);
    if (r.error) return r;
    $("scenario").value = name;
    selected = ""; lastEventsKey = ""; lastWhyKey = "";
    $("editor").value = (call("text") || {}).text || "";
    gutter([]);
    $("yamlerrors").textContent = "";
    $("yamlstate").textContent = "";
    return r;
  }

  function fmt(t) { return (Math.round(t * 10) / 10).toFixed(1); }

  function refresh(force) {
    st = call("status");
    if (!st.loaded) return;
    if (st.playing) st.t = st.drawnT; // the clock follows the frames drawn (kubesimFrame)
    if (st.name !== shownName) { // loaded through the bridge (a test, a share link)
      shownName = st.name;
      if ([...$("scenario").options].some((o) => o.value === st.name)) $("scenario").value = st.name;
      $("editor").value = (call("text") || {}).text || "";
      gutter([]);
    }
    clock();
    // A sliced Apply (the canvas computes t = 0 between frames): show its progress.
    if (st.computing) {
      applying = true;
      $("yamlstate").textContent = tr("Applying: computing t = 0… {pods} pods so far, {pending} reconciles queued", st.computing);
    } else if (applying) {
      applying = false;
      $("yamlstate").textContent = tr("Applied: paused at t = 0, press Play.");
    }
    // A caption is the story of its moment: 20 s on, it is marked as told earlier.
    const old = st.caption && st.t - st.captionAt > 20;
    $("caption").classList.toggle("old", !!old);
    $("captext").textContent = st.caption ? (old ? tr("(at {t} s) ", { t: fmt(st.captionAt) }) : "") + pick(st.caption, st.captionZh) : pick(st.title, st.titleZh);
    const mk = st.name + "|" + st.userActions + "|" + st.end;
    if (mk !== marksKey) { marksKey = mk; marks(); }
    $("play").textContent = st.playing ? tr("Pause") : tr("Play");
    $("play2").textContent = st.playing ? "❚❚" : "▶";
    $("speed").value = String(st.speed);
    if (force) $("slider").value = String(st.t);
    if (st.error) print(st.error, "err");
    if (embed) return;
    const key = st.t + "|" + st.userActions;
    if (tab === "events" && (force || key !== lastEventsKey)) { lastEventsKey = key; events(); }
    if (tab === "why" && (force || key + selected !== lastWhyKey)) { lastWhyKey = key + selected; why(); }
  }

  // clock shows the displayed time on the header clock and the slider. The canvas calls
  // kubesimFrame with the time of each frame it draws, so the clock is the chart's cursor.
  function clock() {
    $("clock").textContent = "t = " + fmt(st.t) + " s";
    const sl = $("slider");
    sl.max = String(st.end);
    if (document.activeElement !== sl) sl.value = String(st.t);
    $("tlabel").textContent = fmt(st.t) + " / " + Math.round(st.end) + " s";
  }
  window.kubesimFrame = (t) => { if (st.loaded) { st.t = t; clock(); } };

  let marksKey = "";
  function marks() {
    const box = $("marks"); box.textContent = "";
    for (const m of call("marks") || []) {
      if (m.t > st.end) continue;
      const b = document.createElement("b");
      b.className = m.kind;
      b.style.left = (100 * m.t / Math.max(st.end, 0.001)) + "%";
      b.title = fmt(m.t) + " s: " + pick(m.label, m.labelZh);
      b.onclick = () => { call("seek", m.t); refresh(true); };
      box.append(b);
    }
  }

  function entries(el, list) {
    el.textContent = "";
    for (const e of list) {
      const li = document.createElement("li");
      li.className = e.kind + " " + (e.type || "");
      const t = document.createElement("span");
      t.className = "t"; t.textContent = fmt(e.t) + "s";
      li.append(t);
      let text = e.message;
      if (e.kind === "event") text = `${e.type} ${e.reason} ${short(e.object)}: ${e.message}`;
      if (e.kind === "explain") text = `${e.type} ${short(e.object)}: ${e.message}`;
      if (e.kind === "caption") text = pick(e.message, e.messageZh);
      if (e.count > 1) text += tr(" (×{n} since {t}s)", { n: e.count, t: fmt(e.first || 0) });
      li.append(text);
      el.append(li);
    }
    el.parentElement.scrollTop = el.parentElement.scrollHeight;
  }
  function short(ref) {
    const p = (ref || "").split("/");
    if (p.length === 3) return p[0].toLowerCase() + "/" + (p[1] === "default" ? "" : p[1] + "/") + p[2];
    return ref;
  }
  function events() { entries($("eventlist"), call("events", 300) || []); }
  function why() {
    $("whyhead").textContent = selected ? tr("Why is {obj} like this? (up to t = {t} s)", { obj: short(selected), t: fmt(st.t) }) :
      tr("Latest decisions. Click a pod, node or workload in the picture to focus on it.");
    entries($("whylist"), call("why", selected, 60) || []);
  }

  // Tabs
  for (const b of document.querySelectorAll("nav [role=tab]")) {
    b.addEventListener("click", () => showTab(b.dataset.tab));
  }
  function showTab(name) {
    tab = name;
    for (const b of document.querySelectorAll("nav [role=tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
    for (const t of document.querySelectorAll(".tab")) t.hidden = t.id !== "tab-" + name;
    if (name === "objects") objects();
    refresh(true);
  }
  function objects() {
    const ul = $("objlist"); ul.textContent = "";
    for (const o of call("objects") || []) {
      const li = document.createElement("li");
      li.textContent = o.kind + "  " + o.name;
      li.onclick = () => { selected = o.ref; call("select", o.ref); const y = call("yaml", o.ref); $("objyaml").textContent = y.yaml || y.error; };
      ul.append(li);
    }
  }

  // Console
  function print(text, cls) {
    const out = $("out");
    const span = document.createElement("span");
    if (cls) span.className = cls;
    span.textContent = text.endsWith("\n") ? text : text + "\n";
    out.append(span);
    out.scrollTop = out.scrollHeight;
  }
  function run(line) {
    print("$ " + line, "cmd");
    const r = call("run", line);
    if (r.output) print(r.output);
    if (r.error) print(r.error, "err");
    lastEventsKey = ""; lastWhyKey = "";
    refresh(true);
    return r;
  }
  $("cmd").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && $("cmd").value.trim()) {
      const line = $("cmd").value.trim();
      history.push(line); hpos = history.length;
      $("cmd").value = "";
      run(line);
    } else if (e.key === "ArrowUp" && hpos > 0) { $("cmd").value = history[--hpos]; e.preventDefault(); }
    else if (e.key === "ArrowDown" && hpos < history.length) { $("cmd").value = history[++hpos] || ""; e.preventDefault(); }
  });

  // Controls
  const toggle = () => call("play", !st.playing);
  $("play").onclick = toggle; $("play2").onclick = toggle;
  $("step").onclick = () => { call("step"); refresh(true); };
  $("reset").onclick = () => { call("seek", 0); call("play", false); refresh(true); };
  $("speed").onchange = () => call("speed", Number($("speed").value));
  $("slider").addEventListener("input", () => { call("seek", Number($("slider").value)); refresh(true); });
  $("scenario").onchange = () => {
    const r = load($("scenario").value, "", 0);
    if (r.error) print(r.error, "err"); else { call("play", true); lessonStart(); hint(); }
  };
  $("theme").onclick = () => {
    theme = theme === "dark" ? "light" : "dark";
    document.body.classList.toggle("dark", theme === "dark");
    call("theme", theme);
  };
  $("share").onclick = () => {
    const url = I18N.withLang(location.origin + location.pathname.replace(/embed\.html$/, "index.html") + "?s=" + st.share);
    navigator.clipboard?.writeText(url).catch(() => {});
    print(tr("share link (copied): {url}", { url }));
  };
  $("help").onclick = () => $("helpdlg").showModal();
  $("large").checked = large;
  $("large").onchange = () => {
    large = $("large").checked;
    document.documentElement.classList.toggle("large", large);
    call("size", large ? "large" : "");
  };

  // Narrow windows: the side panel is a drawer below the header (style.css), which wraps
  // to a height the CSS cannot know.
  function panel(open) {
    document.body.classList.toggle("panel-open", open);
    $("panelbtn").setAttribute("aria-expanded", String(open));
    $("panelbtn").textContent = open ? tr("Close") : tr("Panel");
    $("panelbtn").title = open ? tr("Close the panel (Esc)") : tr("Why?, events, YAML and the kubectl console");
  }
  $("panelbtn").onclick = () => panel(!document.body.classList.contains("panel-open"));
  new ResizeObserver(() => document.body.style.setProperty("--bar-h", $("bar").offsetHeight + "px")).observe($("bar"));

  // YAML editor: errors are shown at their line; a bad scenario leaves the old one running.
  $("editor").addEventListener("input", () => gutter(badLines));
  $("editor").addEventListener("scroll", () => { $("gutter").scrollTop = $("editor").scrollTop; });
  let badLines = [];
  function gutter(bad) {
    badLines = bad;
    const n = $("editor").value.split("\n").length;
    const g = $("gutter"); g.textContent = "";
    for (let i = 1; i <= n; i++) {
      const s = document.createElement("div");
      s.textContent = i;
      if (bad.includes(i)) s.className = "bad";
      g.append(s);
    }
    g.scrollTop = $("editor").scrollTop;
  }
  $("apply").onclick = () => {
    const text = $("editor").value;
    // An empty text would make the bridge look "edited.yaml" up in the catalogue.
    const r = text.trim() ? call("load", "edited.yaml", text, 0, true) :
      { error: tr("The editor is empty: write or paste a scenario (a Scenario document, then the manifests), or Revert.") };
    const ul = $("yamlerrors"); ul.textContent = "";
    if (r.error) {
      const lines = (r.lines || []).map((l) => l.line).filter((l) => l > 0);
      gutter(lines);
      for (const l of (r.lines && r.lines.length ? r.lines : [{ line: 0, message: r.error }])) {
        const li = document.createElement("li");
        const a = document.createElement("a"); a.href = "#";
        a.textContent = (l.line ? tr("line {n}: ", { n: l.line }) : "") + l.message;
        a.onclick = (e) => { e.preventDefault(); gotoLine(l.line); };
        li.append(a); ul.append(li);
      }
      $("yamlstate").textContent = tr("Not applied: the previous scenario keeps running.");
      return;
    }
    gutter([]);
    // Applied paused at t = 0: the author presses Play when ready (a big scenario must not
    // start computing while its first moment is being read).
    $("yamlstate").textContent = tr("Applying: computing t = 0…");
    applying = true;
    selected = ""; call("play", false); lessonStart(); refresh(true);
  };
  // A lesson takes over playback (lesson.js); other scenarios hide its card.
  function lessonStart() { if (window.kubesimLesson && !embed) window.kubesimLesson.start(K); }
  $("revert").onclick = () => { $("editor").value = (call("text") || {}).text || ""; gutter([]); $("yamlerrors").textContent = ""; };
  function gotoLine(n) {
    const ed = $("editor"); const lines = ed.value.split("\n");
    let pos = 0; for (let i = 0; i < n - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    ed.focus(); ed.setSelectionRange(pos, pos + (lines[n - 1] || "").length);
    ed.scrollTop = Math.max(0, (n - 5) * 18);
  }

  // Clicking an object in the canvas: select it, and offer what a user could do to it.
  function onSelect(d) {
    selected = d.ref || "";
    lastWhyKey = "";
    hideMenu();
    if (!selected || embed) { refresh(true); return; }
    if (tab !== "why") showTab("why"); else refresh(true);
    const [kind, a, b] = selected.split("/");
    const name = b || a;
    const items = [];
    if (kind === "Pod") items.push([tr("Delete pod"), `kubectl delete pod ${name}`], [tr("Describe"), `kubectl describe pod ${name}`]);
    if (kind === "Node") items.push([tr("Cordon"), `kubectl cordon ${name}`], [tr("Uncordon"), `kubectl uncordon ${name}`],
      [tr("Drain"), `kubectl drain ${name} --ignore-daemonsets --delete-emptydir-data`], [tr("Fail node"), `fail node/${name}`], [tr("Recover node"), `recover node/${name}`]);
    if (kind === "Deployment") items.push([tr("Rollout status"), `kubectl rollout status deployment/${name}`], [tr("Rollout undo"), `kubectl rollout undo deployment/${name}`], [tr("Scale to {n}", { n: 6 }), `kubectl scale deployment/${name} --replicas=6`]);
    if (kind === "StatefulSet") items.push([tr("Scale to {n}", { n: 5 }), `kubectl scale statefulset/${name} --replicas=5`], [tr("Scale to {n}", { n: 1 }), `kubectl scale statefulset/${name} --replicas=1`]);
    if (!items.length) return;
    const m = $("menu"); m.textContent = "";
    const h = document.createElement("b"); h.textContent = short(selected); m.append(h);
    for (const [label, cmd] of items) {
      const btn = document.createElement("button");
      btn.textContent = label; btn.title = cmd;
      btn.onclick = () => { hideMenu(); run(cmd); };
      m.append(btn);
    }
    const fr = $("canvas").getBoundingClientRect();
    m.style.left = Math.min(fr.left + d.x + 8, innerWidth - 200) + "px";
    m.style.top = Math.min(fr.top + d.y + 8, innerHeight - 240) + "px";
    m.hidden = false;
    m.querySelector("button").focus();
  }
  function hideMenu() { $("menu").hidden = true; }

  // Keyboard: on the shell and inside the canvas iframe (same origin).
  function onKey(e) {
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT") && t.id !== "slider") return;
    if (window.kubesimTeach && window.kubesimTeach.key(e)) { e.preventDefault(); return; }
    const speeds = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 100];
    const i = speeds.indexOf(Number(st.speed));
    switch (e.key) {
      case " ": toggle(); break;
      case "ArrowRight": case "PageDown": call("step"); break;
      case "ArrowLeft": case "PageUp": call("seek", Math.max(0, st.t - (e.shiftKey ? 10 : 1))); break;
      case "+": case "=": call("speed", speeds[Math.min(speeds.length - 1, i + 1)] || 1); break;
      case "-": call("speed", speeds[Math.max(0, i - 1)] || 1); break;
      case "Home": call("seek", 0); break;
      case "?": $("helpdlg").open ? $("helpdlg").close() : $("helpdlg").showModal(); break;
      case "Escape": hideMenu(); panel(false); return;
      default: return;
    }
    e.preventDefault();
    refresh(true);
  }
  document.addEventListener("keydown", onKey);
  $("canvas").addEventListener("load", () => {
    try { $("canvas").contentWindow.document.addEventListener("keydown", onKey); } catch (e) {}
  });
  document.addEventListener("click", (e) => { if (!$("menu").contains(e.target)) hideMenu(); });

  // The header's language switch (i18n.js) redraws in place: same scenario, time, selection.
  I18N.onChange(() => {
    for (const o of $("scenario").querySelectorAll("option[data-en]")) o.textContent = pick(o.dataset.en, o.dataset.zh);
    const g = $("scenario").querySelector("optgroup"); if (g) g.label = tr("Lessons");
    panel(document.body.classList.contains("panel-open"));
    marksKey = ""; lastEventsKey = ""; lastWhyKey = "";
    if (st.loaded) refresh(true);
  });
})();
