"""Further `devdoctor` subcommands, one module each; every module here is imported by
devdoctor.cli and registers itself with `@app.command()` (keep imports inside the functions, so
`devdoctor --help` stays fast)."""
