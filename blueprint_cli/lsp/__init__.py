"""The language server (`blueprint lsp`): blueprint files in an editor, over the Language Server Protocol.

positions (spans <-> LSP ranges, paths <-> URIs) -> analysis (the diagnostics `blueprint check`
gives) and index (every id written in a file and its includes, declared or referenced) ->
one small module per feature (completion, hover, symbols, edits) -> server (pygls wiring,
debounced diagnostics). Only `server` imports pygls; the rest works on plain text and is tested
on its own as well as through a real client.
"""
