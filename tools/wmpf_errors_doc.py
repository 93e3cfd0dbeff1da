"""Write docs/wmpf-errors.md from the signature table (devdoctor/wmpf/signatures.py), so the two never differ.

    python tools/wmpf_errors_doc.py           # write it
    python tools/wmpf_errors_doc.py --check   # exit 1 when the file is not what the table gives
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devdoctor.wmpf.signatures import HINT, SIGNATURES, WMPF_PROCESS  # noqa: E402

DOC = ROOT / "docs" / "wmpf-errors.md"

INTRO = """# WMPF errors devdoctor recognises

<!-- Written by tools/wmpf_errors_doc.py from devdoctor/wmpf/signatures.py: edit the table, then run the tool. -->

devdoctor finds WMPF's errors in any text: the device log read by the `wmpf-log` check (`devdoctor run`,
also on a bugreport), and a paste given to `devdoctor inspect` (a logcat excerpt in any of its layouts,
an Android Studio copy, or free text such as a one-line error string shown by the maker's app). Each
signature below has a stable id (`devdoctor explain ID` tells its story), a severity, what it means, what
to do, the FAQ section (shared/wmpf-faq.zh.md, the vendor's 常见问题) and the forms it takes, each with a
line as it appears in the field and the sources where the form was seen.

## How a line is read

- One line at a time. A form is a regular expression with bounded gaps only, applied to one line, so the
  work is linear in the input; a line longer than 4000 characters is cut there first. Word boundaries
  are ASCII ones, so `报错signature err 0` is found although Chinese touches the English words. A form runs only on
  a line that holds one of its needles (plain words), so most lines of a log cost a few substring tests.
- Signatures are tried in the order below, the specific ones first; a line counts for one signature.
- Lines pasted below a log entry (a stack trace copied from Android Studio, indented, without a log
  prefix) belong to that entry: the check shows them with it, `inspect` gives each its own line number.
  With a prefix, logcat prints each line of one message (a crash and its stack) as an entry with the
  same time, pid, tid and tag: the check shows the message's lines around the one that matched.
- A bare error code (`errCode=10013`, `ret = 10006`) counts only on a line that also names WMPF, since
  Tencent's IM SDK and others use the same numbers. A line names WMPF when it matches
  `{hint}`.
- Forms marked *own process* are printed by WMPF's own processes (WeChat's login SDK inside WMPF): in an
  Android Studio paste, which names the process, they count only from `{process}`.
- A crash counts as WMPF's only when the crashing process is one of WMPF's own: `com.tencent.wmpf`, its
  mini-program processes `com.tencent.wmpf:container*`, or ilink's `com.tencent.ilink.ServiceProcess`. The
  maker's app, or the demo `com.tencent.wmpf.demo`, dying is not WMPF crashing.
- Not raised (seen in WMPF pastes, harmless or not WMPF's fault): XWeb's `GMS package is not found` and
  codec `Unsupported mime` warnings, `System.err` stacks from ilink's task queue, `tdi session already been
  destroyed!!` (issue #15, meaning unknown), `success: 0`, `resp errcode = 0`, the normal
  `IS_DEVICE_ACTIVATED` request with `clientInvokeToken='null'`, WMPF's processes starting or being
  killed by Android (`Start proc`, `Killing … empty`).
- Not covered: 10009 interrupted and 10011 user cancel (not failures), 10018 and the car-WeChat login
  codes 10020-10024, warmUpApp's own codes -1…-13, a native crash seen only in its `Fatal signal` line
  (Android cuts the process name there to its last 15 characters; the tombstone's `>>> name <<<` line,
  which follows it in the log, is read instead).

## Layouts read

| layout | example start of a line |
|---|---|
| `logcat -v threadtime` (with year, uid) | `05-11 09:12:31.220  4711  4790 E WMPFCli.Device: …` |
| `logcat -v time` / `brief` / `long` | `05-11 09:50:11.951 I/ActivityManager( 1105): …` |
| Android Studio, legacy copy | `2024-05-11 09:20:15.902 7310-7310/com.tencent.wmpf.demo I/DocumentActivity: …` |
| Android Studio, Logcat columns | `2024-05-11 09:40:30.616  8120-8172  IPC.IPCInvoker  com.example.doorbell  E  …` |
| any other text (`inspect`, kind `wmpf_errors`) | a one-line error string, a fragment, a ticket with headings |

`devdoctor inspect FILE` tells a log by its lines; text of no known kind that shows a WMPF error is read
as `wmpf_errors` (say `--as wmpf_errors` to force it). Both give `matches` (line number, signature, form,
timestamp, line) and `signatures` (meaning, remedy, FAQ, lines). The paste fixtures in
`tests/data/wmpf_pastes/` hold every layout (their README gives the sources).

## Where the forms come from

- wmpf-cli 2.2.0 (`wmpf/wmpf_demo_external` `wmpf-demo/app/libs/wmpf-cli-2.2.0.aar` at efb26d9,
  decompiled): `TaskError` codes and messages and its `toString` (`TaskError{errType=…, errCode=…,
  errMsg=…}`), `WMPFApiException` (`errType:…, errCode:…, errMsg:…`), `WMPFDeviceApi`
  (`activate device(%s) failed, please check your device info. reason=(%d,%s)`), IPCInvoker and
  IPCBridgeManager (`get bridge is null by process(%s)`, `onConnectTimeout(…)`).
- The official demo: `DocumentActivity.kt` at 74c1c3d logs `success: <ret> <errMsg>` and `error: <e>`;
  `Api.kt` at v1.1.5 throws `TaskErrorException(taskError=…)` and `Exception("bridge not found")`;
  `ExperienceActivity.kt` at c2f9272 says `设备激活失败，请确认 WMPF 处于运行状态` and
  `deviceId 发生变化，请清除 WMPF Apk 缓存后重试`.
- The issue threads of https://github.com/wmpf/wmpf_demo_external (users' pastes, maintainers' answers):
  #8, #10, #15, #17, #19, #20, #21, #22, #25, #43, #44, #45, #50, #66, #79, #83, #98, #100, #101, #111,
  #139, #144, #145, #147, #148, #152.
- The vendor FAQ (shared/wmpf-faq.zh.md) and docs (TaskError, activateDevice, registerMiniProgramDevice);
  AOSP for the crash and death lines (RuntimeInit's `FATAL EXCEPTION`, ActivityManagerService's
  `has died` (logged only for deaths it did not cause) and `ANR in`, the `am_*` event tags, debuggerd's
  tombstone header).

## Signatures
"""


def _cell(text: str) -> str:
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


def section(sig) -> str:
    out = [f"### `{sig.id}`: {sig.title}", ""]
    facts = [f"severity **{sig.severity}**"]
    if sig.faq:
        facts.append(f"FAQ {sig.faq}")
    if sig.fix:
        facts.append(f"`devdoctor fix {sig.fix}`")
    out += ["; ".join(facts), "", f"**Means:** {sig.cause}.", "", f"**Do:** {sig.remedy}", ""]
    out += ["| form | as seen | pattern (one line) |", "|---|---|---|"]
    for f in sig.forms:
        notes = [n for n, on in (("needs a WMPF line", f.hinted), ("own process", f.own_process)) if on]
        name = f.name + (f" ({', '.join(notes)})" if notes else "")
        out.append(f"| {name} | {_cell(f.example)} | {_cell(f.pattern)} |")
    out += ["", "Sources: " + "; ".join(sig.sources), ""]
    return "\n".join(out)


def render() -> str:
    intro = INTRO.replace("{hint}", HINT.pattern).replace("{process}", WMPF_PROCESS)
    return intro + "\n" + "\n".join(section(s) for s in SIGNATURES)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC} is not what the signature table gives: run python tools/wmpf_errors_doc.py")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
