"""The support page: one self-contained HTML file (no scripts run, no files or fonts fetched) that reads
well on a phone: the device, the verdicts with remedies, the evidence folded under each check."""
from __future__ import annotations

from html import escape

from devdoctor import __version__
from devdoctor.ui.faq import sections, title as faq_title
from devdoctor.ui.i18n import _, language
from devdoctor.report.terminal import status_word

_MARK = {"pass": "✓", "warn": "!", "fail": "✗", "unknown": "?", "skipped": "–"}

CSS = """
:root{--ok:#1a7f37;--warn:#9a6700;--fail:#cf222e;--unk:#8250df;--dim:#57606a;--bg:#f6f8fa}
*{box-sizing:border-box}
body{font:16px/1.5 -apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
margin:0 auto;max-width:52rem;padding:1rem;color:#1f2328;background:#fff}
h1{font-size:1.35rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.verdict{border-radius:.5rem;padding:.75rem 1rem;font-weight:600;margin:.75rem 0}
.verdict.fail{background:#ffebe9;color:var(--fail)}.verdict.warn{background:#fff8c5;color:var(--warn)}
.verdict.pass{background:#dafbe1;color:var(--ok)}
dl.device{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0;background:var(--bg);
padding:.75rem 1rem;border-radius:.5rem}dl.device dt{color:var(--dim)}dl.device dd{margin:0;word-break:break-all}
.check{border:1px solid #d0d7de;border-radius:.5rem;margin:.6rem 0;padding:.6rem .8rem}
.check .head{display:flex;gap:.6rem;align-items:flex-start}
.mark{flex:none;width:1.6rem;height:1.6rem;border-radius:50%;color:#fff;text-align:center;font-weight:700;
line-height:1.6rem}
.pass .mark{background:var(--ok)}.warn .mark{background:var(--warn)}.fail .mark{background:var(--fail)}
.unknown .mark{background:var(--unk)}.skipped .mark{background:#8c959f}
.title{font-weight:600}.status{font-size:.8rem;color:var(--dim);margin-left:.3rem}
.status b{text-transform:uppercase;font-weight:600}.faq{color:var(--dim);font-size:.9rem}
.summary{margin:.2rem 0 0}
.remedy{background:#fff8c5;border-radius:.4rem;padding:.5rem .7rem;margin:.5rem 0 0}
.fail .remedy{background:#ffebe9}
code,pre{font:13px/1.4 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace}
pre{background:var(--bg);padding:.5rem;border-radius:.4rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:.3rem 0}
details{margin-top:.4rem}summary{cursor:pointer;color:var(--dim)}
footer{color:var(--dim);font-size:.85rem;margin-top:2rem;border-top:1px solid #d0d7de;padding-top:.5rem}
"""


def _check(c: dict) -> str:
    status = c["status"]
    parts = [f'<section class="check {escape(status)}" id="check-{escape(c["id"])}">',
             f'<div class="head"><span class="mark" aria-hidden="true">{_MARK.get(status, "?")}</span><div>',
             f'<span class="title">{escape(c["title"])}</span><span class="status"><b>{escape(status_word(status))}'
             f'</b> · <code>{escape(c["id"])}</code></span>',
             f'<p class="summary">{escape(c["summary"])}</p></div></div>']
    if c.get("findings"):  # the parts of the verdict, each with its own mark
        parts.append("<ul class=\"findings\">" + "".join(
            f'<li class="{escape(f["status"])}">{_MARK.get(f["status"], "?")} <b>{escape(f["label"])}</b>: '
            f'{escape(f["summary"])}</li>' for f in c["findings"]) + "</ul>")
    remedy = c.get("remedy")
    if remedy and status != "pass":
        faq = ""
        if remedy.get("faq"):
            faq = " " + escape(_("(WMPF FAQ {section})").format(section=remedy["faq"]))
            for section in sections(remedy["faq"]):
                question = faq_title(section)
                faq += f'<br><span class="faq">{escape(section)} {escape(question)}</span>' if question else ""
        parts.append(f'<div class="remedy"><b>{escape(_("What to do"))}:</b> {escape(remedy["text"])}{faq}')
        if remedy.get("commands"):
            parts.append("<pre>" + "\n".join(escape("$ " + cmd) for cmd in remedy["commands"]) + "</pre>")
        if remedy.get("fix"):
            parts.append("<p>" + escape(_("or let devdoctor do it: devdoctor fix {fix}").format(fix=remedy["fix"]))
                         + "</p>")
        parts.append("</div>")
    if c.get("evidence"):
        parts.append(f"<details><summary>{escape(_('Evidence'))}</summary>")
        for ev in c["evidence"]:
            body = "\n".join(escape(ln) for ln in ev.get("lines", []))
            cmd = f"<b>$ {escape(ev['command'])}</b>\n" if ev.get("command") else ""
            note = f"\n<i>({escape(ev['note'])})</i>" if ev.get("note") else ""
            parts.append(f"<pre>{cmd}{body}{note}</pre>")
        parts.append("</details>")
    parts.append("</section>")
    return "\n".join(parts)


def _verdict(doc: dict) -> tuple[str, str]:
    counts = doc["counts"]
    if doc.get("error"):
        return "fail", _("The device was lost during the diagnosis: {error}").format(error=doc["error"]["message"])
    if counts["fail"]:
        return "fail", _("{n} problem(s) found that stop WMPF from working").format(n=counts["fail"])
    if counts["warn"] or counts["unknown"]:
        return "warn", _("No failure, but {warn} warning(s) and {unknown} check(s) that could not be done").format(
            warn=counts["warn"], unknown=counts["unknown"])
    return "pass", _("No problems found.")


def render(doc: dict, exit_code: int, generated_at: str, redacted: bool, embedded: str) -> str:
    """The page for one device's report (`doc` as in the JSON report), `embedded` scripts at the end."""
    d = doc["device"]
    kind, verdict = _verdict(doc)
    who = " ".join(x for x in (d.get("manufacturer"), d.get("model")) if x) or d.get("serial", "")
    rows = [(_("Device"), who), (_("Serial"), d.get("serial", "")),
            ("Android", _("{release} (SDK {sdk})").format(release=d.get("release") or "?", sdk=d.get("sdk") or "?")),
            (_("Build"), d.get("fingerprint", "")), (_("Diagnosed"), generated_at),
            (_("Source"), f'{d.get("source", "")} {d.get("source_name", "")}'.strip()),
            ("devdoctor", __version__), (_("Exit code"), str(exit_code))]
    device = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows if v)
    mask = (_("Serial numbers, IMEIs, MAC and IP addresses and Wi-Fi names are masked in this page and in the "
              "recording inside it.") if redacted else _("Nothing is masked in this page."))
    lang = "zh-CN" if language() == "zh" else "en"
    title = _("devdoctor report: {device}").format(device=who)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="devdoctor {escape(__version__)}">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<div class="verdict {kind}">{escape(verdict)}</div>
<dl class="device">{device}</dl>
</header>
<main>
<h2>{escape(_("Checks"))}</h2>
{chr(10).join(_check(c) for c in doc["checks"])}
</main>
<footer>
<p>{escape(mask)}</p>
<p>{escape(_("Replay this session at a desk, with today's checks: devdoctor run --replay THIS-FILE.html"))}</p>
</footer>
{embedded}
</body>
</html>
"""
