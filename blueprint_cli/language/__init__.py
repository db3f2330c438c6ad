"""The language: blueprint text in, a resolved model out.

source (bytes -> text, Span) -> lexer -> parser (Lark, LALR) -> syntax (statements)
-> resolve (references, includes) -> model (frozen dataclasses). Beside them: errors
(Diagnostic, BlueprintError), fmt (canonical layout), export (JSON and text), gitrev (a file
as it was at a git revision).
"""
