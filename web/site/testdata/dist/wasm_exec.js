// Fixture standing in for Go's wasm_exec.js in the site tests.
"use strict";
globalThis.kubesimFixture = true;
