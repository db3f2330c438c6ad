// The VS Code extension: starts `blueprint lsp` for .blueprint files and offers "Open preview",
// which runs `blueprint preview FILE --no-browser --port 0` and shows its page beside the editor.
"use strict";
const childProcess = require("child_process");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;
const previews = new Map(); // file path -> { process, url }

function program() {
  return vscode.workspace.getConfiguration("blueprint").get("command", "blueprint");
}

function activate(context) {
  client = new LanguageClient(
    "blueprint",
    "Blueprint",
    { command: program(), args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "blueprint" }] },
  );
  client.start();
  context.subscriptions.push(vscode.commands.registerCommand("blueprint.openPreview", openPreview));
}

function show(url) {
  // VS Code's Simple Browser shows the page beside the editor; a browser when it is not there.
  vscode.commands
    .executeCommand("simpleBrowser.show", url, { viewColumn: vscode.ViewColumn.Beside })
    .then(undefined, () => vscode.env.openExternal(vscode.Uri.parse(url)));
}

function openPreview() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "blueprint") {
    vscode.window.showWarningMessage("Open a .blueprint file to preview it.");
    return;
  }
  const file = editor.document.uri.fsPath;
  const running = previews.get(file);
  if (running && running.url) {
    show(running.url);
    return;
  }
  const child = childProcess.spawn(program(), ["preview", file, "--no-browser", "--port", "0"]);
  const entry = { process: child, url: null };
  previews.set(file, entry);
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk.toString();
    const found = output.match(/http:\/\/127\.0\.0\.1:\d+\/\S*/);
    if (found && !entry.url) {
      entry.url = found[0];
      show(entry.url);
    }
  });
  child.on("exit", () => previews.delete(file));
  child.on("error", (error) => {
    previews.delete(file);
    vscode.window.showErrorMessage(`Cannot run '${program()} preview': ${error.message}`);
  });
}

function deactivate() {
  for (const { process } of previews.values()) process.kill();
  previews.clear();
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
