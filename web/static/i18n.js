"use strict";
// kubesim i18n: the shell's English and Simplified Chinese. English is the source: every UI
// string is written in English in the HTML and the scripts, and ZH maps it to Chinese
// ({name} marks a value filled in by t()). kubectl output, events, object names and
// Kubernetes field names are never translated: they stay as real kubectl prints them.
// The language: the lang=zh|en URL option, else the choice saved by the header switch,
// else English. Load this before the page's other scripts; it sets window.I18N.
(() => {
  const ZH = {
    // index.html: header, panels, dialog
    "kubesim: Kubernetes, simulated": "kubesim：模拟的 Kubernetes",
    "Scenario": "场景",
    "Back to t = 0 (Home)": "回到 t = 0（Home）",
    "Reset": "重置",
    "Play / pause (Space)": "播放 / 暂停（空格）",
    "Play": "播放",
    "Pause": "暂停",
    "Step to the next change (→ or PageDown)": "前进到下一个变化（→ 或 PageDown）",
    "Step": "单步",
    "Speed": "速度",
    "Speed (+ / -)": "速度（+ / -）",
    "Light / dark": "浅色 / 深色",
    "Copy a link to this exact moment": "复制指向此刻的链接",
    "Share": "分享",
    "Keyboard shortcuts (?)": "键盘快捷键（?）",
    "Why?, events, YAML and the kubectl console": "原因、事件、YAML 和 kubectl 控制台",
    "Panel": "面板",
    "Close": "关闭",
    "Close the panel (Esc)": "关闭面板（Esc）",
    "Lesson": "课程",
    "Cluster view": "集群视图",
    "Play / pause": "播放 / 暂停",
    "Time": "时间",
    "Why?": "原因",
    "Events": "事件",
    "Objects": "对象",
    "Click a pod, node or workload in the picture to see why it is the way it is.": "点击图中的 Pod、节点或工作负载，查看它为何处于当前状态。",
    "Apply scenario": "应用场景",
    "Revert": "还原",
    "Scenario YAML": "场景 YAML",
    "kubectl console": "kubectl 控制台",
    "kubectl command": "kubectl 命令",
    "Keyboard": "键盘",
    "play / pause": "播放 / 暂停",
    "step to the next change": "前进到下一个变化",
    "back 1 s (": "后退 1 秒（",
    ": 10 s)": "：10 秒）",
    "faster / slower": "加速 / 减速",
    "back to t = 0": "回到 t = 0",
    "this help": "本帮助",
    "Click a pod to delete it; click a node to cordon, drain or fail it. Your actions fork the timeline at the moment shown: the scenario goes on from there, and Share keeps them.":
      "点击 Pod 可以删除它；点击节点可以封锁（cordon）、腾空（drain）或使其故障。你的操作在所显示的时刻分出一条新的时间线：场景从那里继续，分享链接会保留这些操作。",
    "Presenter size: larger text for a projector (URL option": "演示尺寸：为投影仪放大文字（URL 选项",
    ")": "）",
    "Embed:": "嵌入：",
    "Language": "语言",
    // app.js
    "The simulator stopped: {msg}\nReload the page to start again. The full message is shown over the picture; please report it.":
      "模拟器已停止：{msg}\n请重新加载页面。完整信息显示在图上，请报告此问题。",
    "Could not start: {msg}": "无法启动：{msg}",
    "Lessons": "课程",
    "share link refused: {msg}": "分享链接被拒绝：{msg}",
    "t={v} refused: want a time in seconds from 0 to {end}, the end of this scenario": "t={v} 被拒绝：需要 0 到 {end} 之间的秒数（{end} 是此场景的结束时间）",
    "# Try (they run at the moment shown):": "# 试试这些命令（在所显示的时刻执行）：",
    "Applying: computing t = 0… {pods} pods so far, {pending} reconciles queued": "正在应用：计算 t = 0… 已有 {pods} 个 Pod，{pending} 次调谐排队中",
    "Applied: paused at t = 0, press Play.": "已应用：暂停在 t = 0，请按播放。",
    "(at {t} s) ": "（{t} 秒时）",
    " (×{n} since {t}s)": "（×{n}，自 {t}s 起）",
    "Why is {obj} like this? (up to t = {t} s)": "{obj} 为什么是这样？（截至 t = {t} s）",
    "Latest decisions. Click a pod, node or workload in the picture to focus on it.": "最近的决策。点击图中的 Pod、节点或工作负载以聚焦于它。",
    "share link (copied): {url}": "分享链接（已复制）：{url}",
    "The editor is empty: write or paste a scenario (a Scenario document, then the manifests), or Revert.":
      "编辑器是空的：请写入或粘贴一个场景（先是 Scenario 文档，然后是清单），或者点击还原。",
    "line {n}: ": "第 {n} 行：",
    "Not applied: the previous scenario keeps running.": "未应用：之前的场景继续运行。",
    "Applying: computing t = 0…": "正在应用：计算 t = 0…",
    "Delete pod": "删除 Pod",
    "Describe": "描述（describe）",
    "Cordon": "封锁（cordon）",
    "Uncordon": "解除封锁（uncordon）",
    "Drain": "腾空（drain）",
    "Fail node": "使节点故障",
    "Recover node": "恢复节点",
    "Rollout status": "上线状态",
    "Rollout undo": "回滚上线",
    "Scale to {n}": "扩缩到 {n} 个副本",
    // lesson.js
    "Lesson · step {n} of {total} · t = {t} s": "课程 · 第 {n} 步，共 {total} 步 · t = {t} s",
    "Predict first: the simulation pauses until you answer.": "先预测：在你回答之前，模拟保持暂停。",
    "Your answer": "你的答案",
    "Check": "核对",
    "Playing to t = {t} s…": "正在播放到 t = {t} s…",
    "At t = {t} s": "在 t = {t} s",
    "The simulation has no answer here: {msg}": "模拟在这里没有答案：{msg}",
    "✓ Right: {v}.": "✓ 正确：{v}。",
    "✗ Not quite: you said {given}; the simulation has {v}.": "✗ 不太对：你的答案是 {given}；模拟结果是 {v}。",
    " (measured: {check})": "（测量方式：{check}）",
    "Why: ": "原因：",
    "Continue": "继续",
    "Finish": "完成",
    "Done": "已完成",
    "Lesson complete: {right} of {asked} predictions right.": "课程完成：{asked} 个预测中答对 {right} 个。",
    "Start again": "重新开始",
    // compare.html, compare.js
    "kubesim: side by side": "kubesim：并排对比",
    "Comparison": "对比",
    "Back to t = 0 on both sides (Home)": "两侧都回到 t = 0（Home）",
    "Play / pause both sides (Space)": "两侧同时播放 / 暂停（空格）",
    "Step both sides to the next change on either (→ or PageDown)": "两侧同时前进到任一侧的下一个变化（→ 或 PageDown）",
    "Copy a link to this comparison at this moment": "复制指向此对比此刻的链接",
    "Cluster view, side A": "集群视图，A 侧",
    "Cluster view, side B": "集群视图，B 侧",
    "The simulator stopped: {msg}": "模拟器已停止：{msg}",
    "From the link: {a}": "来自链接：{a}",
    "From the link: {a} vs {b}": "来自链接：{a} 对比 {b}",
    "t={v} refused: want a time in seconds from 0 to {end}, the end of this comparison": "t={v} 被拒绝：需要 0 到 {end} 之间的秒数（{end} 是此对比的结束时间）",
    "This comparison cannot be shown:\n{msg}": "无法显示此对比：\n{msg}",
    "no answer from the simulator": "模拟器没有应答",
    "Side {side} ({name}) does not load:\n{msg}": "{side} 侧（{name}）无法加载：\n{msg}",
    " (scenario {name})": "（场景 {name}）",
    "pod": "个 Pod",
    "pods": "个 Pod",
    "ready": "就绪",
    "terminating": "终止中",
    "up-to-date": "已更新",
    "{pods} pod, {ready} ready": "{pods} 个 Pod，{ready} 个就绪",
    "{pods} pods, {ready} ready": "{pods} 个 Pod，{ready} 个就绪",
    "Copied: {url}": "已复制：{url}",
    // canvas.html, canvas.js
    "kubesim canvas": "kubesim 画布",
    "Loading the simulator…": "正在加载模拟器…",
    "The simulator stopped because of a bug. Reload the page to start again.": "模拟器因程序错误而停止。请重新加载页面。",
    "Script error: {msg}": "脚本错误：{msg}",
    "The simulator stopped unexpectedly (the Go program exited).": "模拟器意外停止（Go 程序已退出）。",
    "Could not start the simulator: {msg}": "无法启动模拟器：{msg}",
    // teach.js: guarantee diamonds, presenter mode; record.js: clips
    "Guarantees": "保证",
    "held": "成立", "broke": "被打破",
    "availability (maxUnavailable)": "可用性（maxUnavailable）",
    "surge (maxSurge)": "超量（maxSurge）",
    "StatefulSet order": "StatefulSet 顺序",
    "traffic only to Ready pods": "流量只发往就绪的 Pod",
    "disruption budget": "干扰预算",
    "checking guarantees…": "正在检查保证…",
    "◆ guarantee held   ◆ broke": "◆ 保证成立   ◆ 被打破",
    "✓ Guarantee held at t = {t} s": "✓ t = {t} 秒时保证成立",
    "✗ Guarantee broke at t = {t} s": "✗ t = {t} 秒时保证被打破",
    "Close this explanation": "关闭这段说明",
    "Presenter mode: PageDown / → / Space next caption, PageUp / ← back, B blank, Esc leaves": "演示模式：PageDown / → / 空格 下一条说明，PageUp / ← 返回，B 黑屏，Esc 退出",
    "(blank: press B to come back)": "（黑屏：按 B 返回）",
    "presenter mode: large type, no side panel;": "演示模式：大字号，隐藏侧边栏；",
    "go through the captions or lesson steps,": "逐条浏览说明或课程步骤，",
    "blanks,": "黑屏，",
    "leaves": "退出",
    "record the picture to a WebM clip / stop": "把画面录制为 WebM 片段 / 停止",
    "The diamonds on the time slider are guarantees: green where one held (maxUnavailable, maxSurge, StatefulSet order, traffic only to Ready pods, a disruption budget), red where one broke. Click one to go there and read why.": "时间滑块下的菱形是各项保证：绿色表示保证成立（maxUnavailable、maxSurge、StatefulSet 顺序、流量只发往就绪的 Pod、干扰预算），红色表示保证被打破。点击一个菱形即可跳到那一刻并查看原因。",
    "● Rec": "● 录制",
    "■ Stop {s}": "■ 停止 {s}",
    "Record the picture to a WebM clip (R)": "把画面录制为 WebM 片段（R）",
    "Stop recording and download the clip (R)": "停止录制并下载片段（R）",
    "Recording needs MediaRecorder and canvas.captureStream, which this browser does not have; try a recent Chrome, Edge or Firefox.": "录制需要 MediaRecorder 和 canvas.captureStream，而此浏览器不支持；请使用较新的 Chrome、Edge 或 Firefox。",
    "Nothing to record yet: the picture has not started.": "还没有可录制的内容：画面尚未开始。",
    "Recording failed: {m}": "录制失败：{m}",
    "Recorded {name} ({kb} kB).": "已录制 {name}（{kb} kB）。",
    "Recording the picture ({codec}); press Stop or R to save it.": "正在录制画面（{codec}）；按“停止”或 R 保存。",
  };

  const q = new URLSearchParams(location.search);
  const KEY = "kubesim.lang";
  function saved() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  const norm = (l) => (l === "zh" || l === "en" ? l : "");
  let lang = norm(q.get("lang")) || norm(saved()) || "en";
  // The canvas iframe has no lang option: it follows its shell.
  try { if (parent !== window && parent.I18N) lang = parent.I18N.lang; } catch (e) {}

  // t translates an English UI string and fills its {placeholders} from vars.
  function t(en, vars) {
    const s = (lang === "zh" && ZH[en]) || en;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : s;
  }
  // pick chooses a scenario's or lesson's own translation (titleZh, captionZh...), falling
  // back to its English.
  const pick = (en, zh) => (lang === "zh" && zh ? zh : en || "");

  // translate puts the static HTML in the current language: every text node and title,
  // aria-label, placeholder and label attribute that is a key of ZH (or, switching back, a
  // Chinese text this function put there). kbd, code, pre and textarea are never touched.
  const SKIP = new Set(["SCRIPT", "STYLE", "KBD", "CODE", "PRE", "TEXTAREA", "OPTION"]);
  const ATTRS = ["title", "aria-label", "placeholder", "label"];
  const english = new WeakMap(); // node -> {text, attrs} as written in English
  const ZHEN = new Map(Object.entries(ZH).map(([en, zh]) => [zh, en]));
  function convert(cur, orig) {
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(cur);
    const core = m[2].replace(/\s+/g, " ");
    if (!core) return null;
    let en = ZH[core] !== undefined ? core : null;
    if (en === null) en = orig !== undefined && ZH[orig] === core ? orig : (ZHEN.get(core) ?? null);
    if (en === null) return null;
    return { en, text: m[1] + t(en) + m[3] };
  }
  function translate(root) {
    root = root || document.documentElement;
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      let skip = false;
      for (let p = n.parentElement; p && !skip; p = p.parentElement) skip = SKIP.has(p.tagName) || p.hasAttribute("data-notr");
      if (skip) continue;
      const o = english.get(n) || {};
      const r = convert(n.nodeValue, o.text);
      if (r) { english.set(n, { text: r.en }); if (n.nodeValue !== r.text) n.nodeValue = r.text; }
    }
    for (const el of root.querySelectorAll("[" + ATTRS.join("],[") + "]")) {
      const o = english.get(el) || {};
      for (const a of ATTRS) {
        if (!el.hasAttribute(a)) continue;
        const r = convert(el.getAttribute(a), o[a]);
        if (r) { o[a] = r.en; el.setAttribute(a, r.text); }
      }
      english.set(el, o);
    }
    // An example URL (data-lang-url) shows the lang option when the page is in Chinese.
    for (const el of root.querySelectorAll("[data-lang-url]")) {
      if (!el.dataset.base) el.dataset.base = el.textContent;
      el.textContent = el.dataset.base + (lang === "zh" ? "&lang=zh" : "");
    }
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  }

  // withLang adds the current language to a page URL's query (share and embed links).
  function withLang(url) {
    const u = new URL(url, location.href);
    if (lang === "zh") u.searchParams.set("lang", "zh"); else u.searchParams.delete("lang");
    return u.toString();
  }

  const listeners = [];
  // set switches the language in place: the static HTML now, the rest by each page's
  // onChange handler (which redraws its state: the scenario, the time, a lesson's step).
  function set(l) {
    l = norm(l) || "en";
    try { localStorage.setItem(KEY, l); } catch (e) {}
    if (l === lang) return;
    lang = l;
    history.replaceState(history.state, "", withLang(location.href));
    translate();
    switcher();
    for (const f of listeners) { try { f(lang); } catch (e) { console.error(e); } }
  }

  // The header switch, English / 中文, after the theme button (pages with a #bar header).
  let box = null;
  function switcher() {
    const bar = document.getElementById("bar");
    if (!bar) return;
    if (!box) {
      box = document.createElement("span");
      box.id = "langswitch"; box.className = "langswitch"; box.setAttribute("role", "group");
      box.setAttribute("data-notr", "");
      for (const [l, name] of [["en", "English"], ["zh", "中文"]]) {
        const b = document.createElement("button");
        b.dataset.lang = l; b.textContent = name; b.lang = l === "zh" ? "zh-CN" : "en";
        b.onclick = () => set(l);
        box.append(b);
      }
      const theme = document.getElementById("theme");
      if (theme) theme.before(box); else bar.append(box);
    }
    box.setAttribute("aria-label", t("Language"));
    for (const b of box.children) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  }

  function start() { translate(); switcher(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();

  window.I18N = {
    get lang() { return lang; },
    t, pick, set, translate, withLang,
    onChange: (f) => listeners.push(f),
    table: ZH,
  };
})();
