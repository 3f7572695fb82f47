'use strict';
// What the browser tests (e2e/run.js) and the hub's browser test (hub/browser.js)
// share: how Chromium is started and what counts as an error in a cell's output.

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const PANIC_MARKER = 'panicked at';
// evcxr's compile errors ("[E0308] Error: mismatched types"), an Err from `?` ("Error: ..."), rustc-style "error[E..]:".
const ERROR_TEXT = /(^|\n)\s*(\[E\d{4}\]\s*)?Error\b|\berror(\[E\d{4}\])?:/;

module.exports = { CHROMIUM_ARGS, PANIC_MARKER, ERROR_TEXT };
