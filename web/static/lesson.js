"use strict";
// kubesim lessons: a scenario with a Lesson document is taught one step at a time. Before a
// step with a prediction, playback pauses and the question is asked; the answer given, the
// step plays to its moment, and the page shows right or wrong with the value the simulation
// has there (computed by the core, lessonResult) and the why. Continue goes to the next step.
// app.js calls kubesimLesson.start(K) after every load.
(() => {
  const $ = (id) => document.getElementById(id);
  let K = null, view = null, i = 0, right = 0, asked = 0, poll = 0;

  function call(name, ...args) {
    const r = K[name](...args);
    try { return typeof r === "string" ? JSON.parse(r) : r; } catch (e) { return r; }
  }
  const fmt = (t) => (Math.round(t * 10) / 10).toFixed(1);

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
    $("lessonstep").textContent = `Lesson · step ${i + 1} of ${view.steps.length} · t = ${fmt(view.steps[i].t)} s`;
    $("lessontitle").textContent = view.title;
    $("lessonstate").textContent = state;
  }

  function show() {
    const s = view.steps[i], body = $("lessonbody");
    body.textContent = "";
    if (!s.question) { play(NaN); return; }
    head("Predict first: the simulation pauses until you answer.");
    body.append(el("p", "question", s.question));
    const row = el("div", "answers");
    if (s.choices && s.choices.length) {
      for (const c of s.choices) {
        const b = el("button", "choice", String(c));
        b.onclick = () => play(c);
        row.append(b);
      }
    } else {
      const inp = el("input"); inp.type = "number"; inp.id = "lessonnum"; inp.setAttribute("aria-label", "Your answer");
      const go = el("button", "primary", "Check");
      go.id = "lessoncheck";
      const submit = () => { if (inp.value.trim() !== "") play(Number(inp.value)); };
      go.onclick = submit;
      inp.addEventListener("keydown", (e) => { if (e.key === "Enter") submit(); });
      row.append(inp, go);
    }
    body.append(row);
    const first = row.querySelector("button, input");
    if (first) first.focus();
  }

  // play runs the step to its moment at the chosen speed, then shows the feedback.
  function play(given) {
    const s = view.steps[i];
    for (const b of $("lessonbody").querySelectorAll("button, input")) b.disabled = true;
    if (!Number.isNaN(given)) {
      const sel = [...$("lessonbody").querySelectorAll(".choice")].find((b) => Number(b.textContent) === given);
      if (sel) sel.classList.add("picked");
    }
    head(`Playing to t = ${fmt(s.t)} s…`);
    call("playTo", s.t);
    clearInterval(poll);
    poll = setInterval(() => {
      const st = call("status");
      if (st.playing) return;
      clearInterval(poll);
      feedback(given);
    }, 100);
  }

  function feedback(given) {
    const s = view.steps[i], r = call("lessonResult", i, given);
    const body = $("lessonbody");
    head(`At t = ${fmt(s.t)} s`);
    if (r.error && !r.asked) { body.append(el("p", "verdict wrong", r.error)); return; }
    if (r.asked) {
      asked++;
      for (const b of body.querySelectorAll(".choice")) b.classList.toggle("answer", !r.error && Number(b.textContent) === r.value);
      const v = el("p", "verdict " + (r.correct ? "right" : "wrong"));
      if (r.error) v.textContent = "The simulation has no answer here: " + r.error;
      else if (r.correct) { right++; v.textContent = `✓ Right: ${r.value}.`; }
      else v.textContent = `✗ Not quite: you said ${given}; the simulation has ${r.value}.`;
      const how = el("span", "how", ` (measured: ${r.check})`);
      v.append(how);
      body.append(v);
    }
    body.append(el("p", "stepcap", r.caption));
    if (r.why) { const w = el("p", "why"); w.append(el("b", "", "Why: "), r.why); body.append(w); }
    const last = i === view.steps.length - 1;
    const cont = el("button", "primary", last ? "Finish" : "Continue");
    cont.id = "lessoncontinue";
    cont.onclick = () => {
      if (!last) { i++; show(); return; }
      body.textContent = "";
      head("Done");
      body.append(el("p", "verdict right", `Lesson complete: ${right} of ${asked} predictions right.`));
      const again = el("button", "", "Start again");
      again.onclick = () => start(K);
      body.append(again);
      again.focus();
    };
    const row = el("div", "answers"); row.append(cont); body.append(row);
    cont.focus();
  }

  window.kubesimLesson = { start };
})();
