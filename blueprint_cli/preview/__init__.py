"""`blueprint preview`: a local page that shows a blueprint's diagram (or the report of two) and
follows every save.

rendering (one pass over the files, through `pipeline`) -> live (the last result, versioned,
with the last good picture kept) -> server (the page and a server-sent event stream, on
127.0.0.1 only, nothing else) and watch (polls the files and their includes, renders again).
"""
