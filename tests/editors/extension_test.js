// Runs editors/vscode/extension.js against a stand-in for the VS Code API (and the language
// client), with the real `blueprint` program: activation starts `blueprint lsp`, and "Open
// preview" starts `blueprint preview` and shows the address it prints.
// Usage: node extension_test.js BLUEPRINT_PROGRAM FILE   Prints a JSON record of what happened.
"use strict";
const Module = require("module");
const path = require("path");

const [program, file] = process.argv.slice(2);
const record = { clients: [], commands: [], shown: [], warnings: [], errors: [] };
let resolveShown;
const shown = new Promise((resolve) => { resolveShown = resolve; });

const vscode = {
  workspace: { getConfiguration: () => ({ get: (key, fallback) => (key === "command" ? program : fallback) }) },
  window: {
    activeTextEditor: { document: { languageId: "blueprint", uri: { fsPath: file } } },
    showWarningMessage: (message) => record.warnings.push(message),
    showErrorMessage: (message) => record.errors.push(message),
  },
  commands: {
    registered: {},
    registerCommand(name, handler) { this.registered[name] = handler; record.commands.push(name); return { dispose() {} }; },
    executeCommand(name, url) { record.shown.push({ name, url }); resolveShown(url); return Promise.resolve(); },
  },
  env: { openExternal: (uri) => { record.shown.push({ name: "openExternal", url: String(uri) }); resolveShown(String(uri)); } },
  Uri: { parse: (text) => text },
  ViewColumn: { Beside: -2 },
};
class LanguageClient {
  constructor(id, name, server, options) { record.clients.push({ id, name, server, options }); this.running = false; }
  start() { this.running = true; return Promise.resolve(); }
  stop() { this.running = false; record.stopped = true; return Promise.resolve(); }
}
const fakes = { vscode, "vscode-languageclient/node": { LanguageClient } };
const load = Module._load;
Module._load = function (request, parent, isMain) {
  return request in fakes ? fakes[request] : load.call(this, request, parent, isMain);
};

const extension = require(path.resolve(__dirname, "../../editors/vscode/extension.js"));
const context = { subscriptions: [] };
extension.activate(context);
vscode.commands.registered["blueprint.openPreview"]();
const timer = setTimeout(() => { record.timeout = true; finish(); }, 20000);
shown.then(async (url) => {
  clearTimeout(timer);
  const http = require("http");
  record.page = await new Promise((resolve) => {
    http.get(url, (answer) => resolve(answer.statusCode)).on("error", (error) => resolve(String(error)));
  });
  finish();
});

async function finish() {
  await extension.deactivate();
  process.stdout.write(JSON.stringify(record));
  setTimeout(() => process.exit(0), 200);
}
