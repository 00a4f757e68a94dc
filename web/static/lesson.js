"use strict";
// kubesim lessons: a scenario with a Lesson document is taught one step at a time. Before a
// step with a prediction, playback pauses and the question is asked; the answer given, the
// step plays to its moment, and the page shows right or wrong with the value the simulation
// has there (computed by the core, lessonResult) and the why. Continue goes to the next step.
// app.js calls kubesimLesson.start(K) after every load.
(() => {
  const $ = (id) => document.getElementById(id);
  const { t: tr, pick } = window.I18N; // i18n.js
  let K = null, view = null, i = 0, right = 0, asked = 0, poll = 0;

  function call(name, ...args) {
    const r = K[name](...args);
    try { return typeof r === "string" ? JSON.parse(r) : r; } catch (e) { return r; }
  }
  const fmt = (t) => (Math.round(t * 10) / 10).toFixed(1);

  // The card is drawn from this state by render(), so the language switch redraws it as is.
  let mode = "", given = NaN, result = null; // mode: question, playing, feedback or done

  function start(k) {
    K = k; clearInterval(poll);
    view = call("lesson");
    document.body.classList.toggle("lesson-on", !!view);
    $("lesson").hidden = !view;
    if (!view) return;
    call("play", false); call("seek", 0);
    i = 0; right = 0; asked = 0;
    show();
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // head fills the card's first line: the lesson, the step and its moment.
  function head(state) {
    $("lessonstep").textContent = tr("Lesson · step {n} of {total} · t = {t} s", { n: i + 1, total: view.steps.length, t: fmt(view.steps[i].t) });
    $("lessontitle").textContent = pick(view.title, view.titleZh);
    $("lessonstate").textContent = state;
  }

  function show() {
    const s = view.steps[i];
    given = NaN; result = null;
    if (!s.question) { play(NaN); return; }
    mode = "question";
    render();
    const first = $("lessonbody").querySelector("button, input");
    if (first) first.focus();
  }

  // render draws the card for the current step and mode.
  function render() {
    const s = view.steps[i], body = $("lessonbody");
    body.textContent = "";
    if (mode === "done") {
      head(tr("Done"));
      body.append(el("p", "verdict right", tr("Lesson complete: {right} of {asked} predictions right.", { right, asked })));
      const again = el("button", "", tr("Start again"));
      again.onclick = () => start(K);
      body.append(again);
      return;
    }
    if (s.question) {
      body.append(el("p", "question", pick(s.question, s.questionZh)));
      const row = el("div", "answers");
      if (s.choices && s.choices.length) {
        for (const c of s.choices) {
          const b = el("button", "choice", String(c));
          b.onclick = () => play(c);
          row.append(b);
        }
      } else {
        const inp = el("input"); inp.type = "number"; inp.id = "lessonnum"; inp.setAttribute("aria-label", tr("Your answer"));
        const go = el("button", "primary", tr("Check"));
        go.id = "lessoncheck";
        const submit = () => { if (inp.value.trim() !== "") play(Number(inp.value)); };
        go.onclick = submit;
        inp.addEventListener("keydown", (e) => { if (e.key === "Enter") submit(); });
        if (!Number.isNaN(given)) inp.value = String(given);
        row.append(inp, go);
      }
      body.append(row);
    }
    if (mode === "question") { head(tr("Predict first: the simulation pauses until you answer.")); return; }
    for (const b of body.querySelectorAll("button, input")) b.disabled = true;
    if (!Number.isNaN(given)) {
      const sel = [...body.querySelectorAll(".choice")].find((b) => Number(b.textContent) === given);
      if (sel) sel.classList.add("picked");
    }
    if (mode === "playing") { head(tr("Playing to t = {t} s…", { t: fmt(s.t) })); return; }
    const r = result;
    head(tr("At t = {t} s", { t: fmt(s.t) }));
    if (r.error && !r.asked) { body.append(el("p", "verdict wrong", r.error)); return; }
    if (r.asked) {
      for (const b of body.querySelectorAll(".choice")) b.classList.toggle("answer", !r.error && Number(b.textContent) === r.value);
      const v = el("p", "verdict " + (r.correct ? "right" : "wrong"));
      if (r.error) v.textContent = tr("The simulation has no answer here: {msg}", { msg: r.error });
      else if (r.correct) v.textContent = tr("✓ Right: {v}.", { v: r.value });
      else v.textContent = tr("✗ Not quite: you said {given}; the simulation has {v}.", { given, v: r.value });
      const how = el("span", "how", tr(" (measured: {check})", { check: r.check }));
      v.append(how);
      body.append(v);
    }
    body.append(el("p", "stepcap", pick(r.caption, r.captionZh)));
    if (r.why) { const w = el("p", "why"); w.append(el("b", "", tr("Why: ")), pick(r.why, r.whyZh)); body.append(w); }
    const last = i === view.steps.length - 1;
    const cont = el("button", "primary", last ? tr("Finish") : tr("Continue"));
    cont.id = "lessoncontinue";
    cont.onclick = () => {
      if (!last) { i++; show(); return; }
      mode = "done";
      render();
      body.querySelector("button").focus();
    };
    const row = el("div", "answers"); row.append(cont); body.append(row);
  }

  // play runs the step to its moment at the chosen speed, then shows the feedback.
  function play(g) {
    const s = view.steps[i];
    given = g; mode = "playing";
    render();
    call("playTo", s.t);
    clearInterval(poll);
    poll = setInterval(() => {
      const st = call("status");
      if (st.playing) return;
      clearInterval(poll);
      feedback();
    }, 100);
  }

  function feedback() {
    const r = call("lessonResult", i, given);
    if (r.asked) {
      asked++;
      if (!r.error && r.correct) right++;
    }
    result = r; mode = "feedback";
    render();
    const cont = $("lessoncontinue");
    if (cont) cont.focus();
  }

  // The language switch (i18n.js) redraws the card where it is.
  I18N.onChange(() => { if (view && mode) render(); });

  window.kubesimLesson = { start };
})();
