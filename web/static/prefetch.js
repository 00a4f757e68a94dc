"use strict";
// The first thing the shell loads: game.wasm's download starts here, while the shell's
// scripts and the canvas iframe load, and canvas.js takes this response instead of
// fetching the file again (README, Performance: navigation to first frame).
window.kubesimWasm = fetch("game.wasm");
window.kubesimWasm.catch(() => {}); // a failure is canvas.js's to handle: it fetches again
