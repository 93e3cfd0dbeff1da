"""Known WMPF failures as they really appear in pasted logs and error strings: what to look for, what it
means, what to do, and where each form was seen (docs/wmpf-errors.md tells the same story for people).

This is data. Each signature has forms: a regular expression applied to ONE line (bounded gaps only, so
matching stays linear; compiled with re.ASCII, so `\b` also parts an English word from Chinese text
around it), the form's name, and a line as it was seen in the field. `hinted` forms (a bare
error code) count only on a line that also names WMPF (HINT): Tencent's IM SDK uses 10004-10017 too.
`own_process` forms are printed by WMPF's own processes; an Android Studio line from another app's
process does not count for them. Signatures are tried in order: the specific ones come first.

Sources: the vendor FAQ (shared/wmpf-faq.zh.md), wmpf-cli 2.2.0 decompiled (TaskError, WMPFDeviceApi,
WMPFApiException, IPCInvoker), the official demo's source and the issue threads of wmpf/wmpf_demo_external.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from devdoctor.ui.i18n import N_

CLEAR_CACHE = "--clear-cache"  # `devdoctor fix --clear-cache`: clear WMPF's data so it activates afresh
REPO = "https://github.com/wmpf/wmpf_demo_external"
AAR = "wmpf/wmpf_demo_external wmpf-demo/app/libs/wmpf-cli-2.2.0.aar@efb26d947604064ab063503e47b6174a6fe5315f"
DEMO_V1 = ("wmpf/wmpf_demo_external wmpf-demo/app/src/main/java/com/tencent/wmpf/demo/ui/DocumentActivity.kt"
           "@74c1c3d3efa9075d2d7501ef097a8f74a145c737")
DEMO_API = ("wmpf/wmpf_demo_external wmpf-demo/app/src/main/java/com/tencent/wmpf/demo/Api.kt"
            "@eb54cbb52362a0b8ef1395c9be2bd878af7ea8a6")
DEMO_V2 = ("wmpf/wmpf_demo_external wmpf-demo/app/src/experience/java/com/tencent/wmpf/demo/experience/"
           "ExperienceActivity.kt@c2f9272c6e746c7ec8f486804bb29f2a15fb185b")
TASK_ERROR_DOC = "https://developers.weixin.qq.com/doc/oplatform/Miniprogram_Frame/api/client/TaskError.html"

# A line that names WMPF: its packages and tags, its protocol words, activation in English or Chinese.
HINT = re.compile(r"(?i:wmpf|taskerror|activat|激活|ilink|invoke_?token|baseresponse|launchwxa|小程序)")
# WMPF's own processes: the service, its mini-program processes (:container, :container3...), ilink's.
WMPF_PROCESS = r"com\.tencent\.(?:wmpf(?::[\w.]{1,40})?|ilink\.ServiceProcess)(?![\w.])"
WMPF_MAIN = r"com\.tencent\.(?:wmpf|ilink\.ServiceProcess)(?![\w.:])"  # the service and ilink's process
WMPF_CONTAINER = r"com\.tencent\.wmpf:[\w.]{1,40}(?![\w.])"  # a mini-program process, :container, :container3...


def issue(n: int) -> str:
    return f"{REPO}/issues/{n}"


@dataclass(frozen=True)
class Form:
    name: str  # stable: reason, task-error, api-exception, demo-success, errcode, code-text, code-alone, text...
    pattern: str
    example: str  # a line as it was seen (or as the source prints it)
    needles: tuple[str, ...]  # the line holds one of these words whenever the pattern matches (a cheap first test)
    hinted: bool = False
    own_process: bool = False


@dataclass(frozen=True)
class Signature:
    id: str
    title: str  # what was seen, in a few words
    forms: tuple[Form, ...]
    cause: str
    remedy: str
    faq: str | None = None
    fix: str | None = None  # a devdoctor fix that repairs it
    severity: str = "fail"  # fail / warn
    sources: tuple[str, ...] = ()

    @property
    def patterns(self) -> tuple[str, ...]:
        return tuple(f.pattern for f in self.forms)

    def matches(self, text: str) -> bool:
        from devdoctor.wmpf.errors import form_of

        return form_of(self, text) is not None


def code_forms(codes: tuple[str, ...], text: str, message: str) -> tuple[Form, ...]:
    """The forms an activation/TaskError code takes: in the cli's `reason=(code,msg)`, in TaskError{...},
    in WMPFApiException's message, in the demo's `success: <code> <msg>`, followed by its text, after
    errCode/ret/code (on a WMPF line), or alone. `text` is a regex of its message, `message` the message."""
    c = "(?:" + "|".join(codes) + ")"
    first = codes[0]
    return (
        Form("reason", rf"reason=\({c}\b",
             f"E WMPFCli.Device: activate device(SN0001) failed, please check your device info. "
             f"reason=({first},{message})", codes),
        Form("task-error", rf"TaskError\{{errType=-?\d{{1,3}}, errCode={c}\b",
             f"error: TaskErrorException(taskError=TaskError{{errType=1, errCode={first}, errMsg={message}}})", codes),
        Form("api-exception", rf"errType:-?\d{{1,3}}, errCode:{c}\b",
             f"E WMPF-API: 激活 失败: errType:1, errCode:{first}, errMsg:{message}", codes),
        Form("demo-success", rf"\bsuccess: {c}\b", f"I/DocumentActivity: success: {first} {message} ", codes),
        Form("code-text", rf"(?<!\d){c}\b[^\n]{{0,16}}?(?:{text})", f"{first} {message}", codes),
        Form("errcode", rf"(?<![A-Za-z_])(?i:err_?code|ret|code|错误码)\s{{0,3}}[=:：]?\s{{0,3}}{c}\b",
             f"response.baseResponse.ret = {first}", codes, hinted=True),
        Form("code-alone", rf"^\W{{0,3}}(?:[^\d\n]{{0,12}}?(?i:错误码|返回|报错|失败|error code|errcode|err_code|code|ret|"
             rf"error|fail(?:ed)?)\W{{0,3}})?{c}\W{{0,3}}$", f"返回错误码{first}", codes),
    )


# The calls the demo names in `Exception("invoke <call> fail")` when IPCInvoker could not send them (Api.kt).
DEMO_CALLS = ("activateDevice|activateDeviceByIoT|activeStatus|authorize|authorizeByWxFacePay|authorizeNoLogin|"
              "authorizeStatus|closeWxaApp|deauthorize|initGlobalConfig|initWxPayInfoAuthInfo|launchWxaApp|"
              "launchWxaAppByScan|listeningPushMsg|manageBackgroundMusic|notifyBackgroundMusic|prefetchDeviceToken|"
              "preloadRuntime|registerMiniprogramDevice|warmLaunch")
_ACTIVATION_SOURCES = (AAR + " (TaskError, WMPFDeviceApi, WMPFApiException)", TASK_ERROR_DOC, DEMO_V1, DEMO_API)
ACTIVATE_FAIL = ("设备激活失败", "激活设备失败")

SIGNATURES: tuple[Signature, ...] = (
    Signature(
        "device-changed", N_("DEVICE_CHANGED"),
        (Form("reason", r"reason=\(-?\d{1,6},DEVICE_CHANGED\b",
              "E WMPFCli.Device: activate device(SN0001) failed, please check your device info. "
              "reason=(-1,DEVICE_CHANGED)", ("DEVICE_CHANGED",)),
         Form("errmsg", r"errMsg[=:]\s?DEVICE_CHANGED\b", "error: com.tencent.wmpf.cli.api.WMPFApiException: "
              "errType:1, errCode:-1, errMsg:DEVICE_CHANGED", ("DEVICE_CHANGED",)),
         Form("demo-text", r"deviceId 发生变化，请清除 WMPF Apk 缓存", "deviceId 发生变化，请清除 WMPF Apk 缓存后重试",
              ("发生变化",)),
         Form("code-alone", r"^\W{0,3}DEVICE_CHANGED\W{0,3}$", "DEVICE_CHANGED", ("DEVICE_CHANGED",))),
        N_("hostAppId / productId / keyVersion / deviceId differ from WMPF's last activation, which it keeps "
           "in its data"),
        N_("Clear WMPF's data (its cached activation), then start the maker's app so it activates again."),
        faq="4.11", fix=CLEAR_CACHE,
        sources=("https://developers.weixin.qq.com/doc/oplatform/Miniprogram_Frame/api/cli/device/activateDevice.html",
                 DEMO_V2)),
    Signature(
        "signature-err", N_("activation signature error (10014-10016)"),
        code_forms(("10014", "10015", "10016"), r"signature[ _]err", "signature err 0") + (
            Form("text", r"\bsignature err (?:[01]\b|: ?decode fail)", "signature err 1", ("signature err",)),
            Form("old-text", r"\bsignature_error_\d\b", "10012 activate device fail signature_error_0",
                 ("signature_error_",))),
        N_("the activation signature does not match productId / deviceId / keyVersion or the key pair on wecooper"),
        N_("Sign again with the productId, deviceId and keyVersion passed to ActivateDevice and the key pair "
           "registered on wecooper (openssl 1.1.1 recommended); WMPF must be 1.1.5 or later."), faq="4.4",
        sources=_ACTIVATION_SOURCES + (issue(101), issue(144), issue(66))),
    Signature(
        "device-not-registered-10017", N_("device id not registered (10017)"),
        code_forms(("10017",), r"device id not registered", "device id not registered") + (
            Form("text", r"\bdevice id not registered\b", "errMsg=device id not registered",
                 ("device id not registered",)),),
        N_("the deviceId (SN) used for activation is not registered for this product (wrong SN, or addDevice "
           "not called on wecooper)"),
        N_("Register the SN on wecooper or fix the SN the app sends; WMPF caches the first registration, so clear "
           "its data before activating with the corrected SN."), faq="4.11", fix=CLEAR_CACHE,
        sources=_ACTIVATION_SOURCES),
    Signature(
        "ilink-token-fail", N_("activation: obtain token fail by ilink"),
        (Form("demo-success", r"\bsuccess: -?\d{1,6} activate device fail: obtain token fail by ilink",
              "/DocumentActivity: success: -1 activate device fail: obtain token fail by ilink ",
              ("obtain token fail by ilink",)),
         Form("text", r"\bobtain token fail by ilink\b",
              "WMPFActivateDeviceResponse.errMsg= activate device fail: obtain token fail by ilink",
              ("obtain token fail by ilink",))),
        N_("WMPF's ilink module got no device token from WeChat's servers while activating: the same deviceId and "
           "signature are used on another device, or the network or the clock is wrong"),
        N_("Give every device its own deviceId and signature (productId and keyVersion may be shared); check the "
           "network and the clock, then activate again. If it persists, send WMPF's xlog files to WeChat support."),
        faq="4.9", sources=(issue(22), issue(25), DEMO_V1)),
    Signature(
        "invoke-token", N_("no valid invokeToken (10010)"),
        code_forms(("10010",), r"inactive or expired", "inactive or expired") + (
            Form("text", r"\binactive or expired\b", "{errType=1, errCode=10010, errMsg=inactive or expired}",
                 ("inactive or expired",)),
            Form("kotlin-null", r"\binvokeToken must not be nul",  # also cut off, as in issue #8's title
                 "FastExperienceActivity: error: java.lang.IllegalStateException: it.invokeToken must not be null",
                 ("invokeToken must not be nul",)),
            Form("demo-null", r"\bsuccess: token = null\b", "I/WMPF.Demo.MainActivity: success: token = null",
                 ("token = null",)),
            Form("cli-check", r"\binvoke: check invoke token fail\b",
                 "W WMPFCli.SyncInvoke: invoke: check invoke token fail", ("check invoke token fail",))),
        N_("the maker's app calls WMPF without a valid invokeToken: activation returned none (wrong device info or "
           "hostAppId), the app did not store it before its next call, or WMPF restarted since it was issued"),
        N_("Activate after every WMPF start and pass the invokeToken it returns before any other call; if activation "
           "returns no token, check productId, deviceId, signature and the hostAppId from the WeChat Open Platform; "
           "after activating with a wrong SN, clear WMPF's data."), faq="4.11", fix=CLEAR_CACHE,
        sources=_ACTIVATION_SOURCES + (issue(8), issue(10), issue(20), issue(79), issue(111), issue(139))),
    Signature(
        "not-activated", N_("device not activated (10006)"),
        code_forms(("10006",), r"no activate|inactive\b", "no activate") + (
            Form("text", r"\bno activate\b", "response.baseResponse.errMsg = no activate", ("no activate",)),),
        N_("WMPF is not activated: the maker's app did not call ActivateDevice after WMPF (re)started, or the "
           "activation failed"),
        N_("The maker's app must activate the device after every WMPF start and wait for it to succeed; if it was "
           "once activated with a wrong SN, clear WMPF's data and activate again with the right one; upgrade WMPF."),
        faq="4.11", fix=CLEAR_CACHE, sources=_ACTIVATION_SOURCES + (issue(19), issue(22))),
    Signature(
        "activate-timeout-10013", N_("activation request timeout (10013)"),
        code_forms(("10013",), r"request timeout", "request timeout") + (
            Form("old-text", r"\bactivate device fail timeout\b", "activate device fail timeout",
                 ("activate device fail timeout",)),),
        N_("ActivateDevice timed out: no network, Android older than 7.1, or face-payment apps in the way"),
        N_("Check the network, that Android is 7.1 or later, and disable face-payment apps and services on "
           "face-pay hardware."), faq="4.7",
        sources=_ACTIVATION_SOURCES + (issue(83), issue(145), issue(147), issue(148))),
    Signature(
        "ipc-fail-10001", N_("call WMPF.apk fail (10001)"),
        code_forms(("10001",), r"call WMPF\.apk fail", "call WMPF.apk fail, is it installed?") + (
            Form("text", r"call WMPF\.apk fail", "errMsg=call WMPF.apk fail, is it installed?", ("call WMPF.apk fail",)),
            Form("demo-text", r"设备激活失败，请确认 WMPF 处于运行状态", "初始化失败: 设备激活失败，请确认 WMPF 处于运行状态",
                 ("请确认 WMPF 处于运行状态",))),
        N_("the maker's app could not reach WMPF over IPC: WMPF is not installed, not allowed to start by itself "
           "(autostart / background pop-up), or wmpf-cli and WMPF do not match"),
        N_("Make sure WMPF is installed and allowed to autostart and to open pages in the background; if the v1 API "
           "works but v2 does not, upgrade both wmpf-cli and WMPF to 2.1.0 or later."), faq="4.8",
        sources=_ACTIVATION_SOURCES + (DEMO_V2,)),
    Signature(
        "cli-not-initialised", N_("wmpf-cli not initialised in the maker's app"),
        (Form("v2", r"invoke WMPFBoot\.init\(\) first!",
              "java.lang.IllegalStateException: invoke WMPFBoot.init() first!", ("WMPFBoot.init() first",)),
         Form("ipc-invoker", r"IPCInvoker not initialize\b", "java.lang.AssertionError: IPCInvoker not initialize.",
              ("IPCInvoker not initialize",)),
         Form("demo", r"\bneed invoke Api\.Init\b", "E/DocumentActivity: error: java.lang.Exception: need invoke "
              "Api.Init", ("need invoke Api.Init",))),
        N_("the maker's app called WMPF before initialising wmpf-cli (WMPFBoot.init in v2, IPCInvoker in v1), so "
           "nothing reaches WMPF"),
        N_("Call WMPFBoot.init(context, device) once in the app's Application.onCreate, before any other WMPF call "
           "(v1 API: initialise IPCInvoker first), then activate the device."),
        sources=(AAR + " (WMPF, IPCInvokeLogic)", DEMO_API, "shared/wmpf-domain.md §3.2")),
    Signature(
        "bridge-not-found", N_("bridge not found"),
        (Form("callback", r"\bonBridgeNotFound\b", "E WMPFCli.IPCInvoker: onBridgeNotFound", ("onBridgeNotFound",)),
         Form("ipc-invoker", rf"get bridge is null by process\({WMPF_PROCESS}",
              "E  invokeAsync failed, get bridge is null by process(com.tencent.wmpf).",
              ("get bridge is null by process(",)),
         Form("demo-exception", r"(?:[Ee]xception|[Ee]rror|失败)\W{0,4}bridge not found\b",
              "E   激活 error: java.lang.Exception: bridge not found", ("bridge not found",)),
         Form("bind-error", r"\[getIPCBridge\]bindService bw:-?\d{1,12}, id:-?\d{1,20}, error:",
              "E IPC.IPCBridgeManager: [getIPCBridge]bindService bw:61734420, id:713090127744, error:null",
              ("[getIPCBridge]bindService bw:",)),
         Form("demo-invoke-fail", rf"\binvoke (?:{DEMO_CALLS}) fail\b",
              "E/DocumentActivity: error: java.lang.Exception: invoke launchWxaApp fail", ("invoke ",))),
        N_("WMPF Service was not running when the maker's app called it, and starting it failed"),
        N_("Check that WMPF is installed, allowed to autostart, and not killed by the system; start it by hand "
           "once and try again."), faq="4.5",
        sources=(AAR + " (IPCInvoker, IPCBridgeManager)", DEMO_API, issue(17), issue(21), issue(45), issue(152))),
    Signature(
        "connect-timeout", N_("binding WMPF timed out"),
        (Form("ipc-bridge", r"\bonConnectTimeout\(",
              "I  [getIPCBridge]onConnectTimeout(61734420, id:713090127744, tid : 27)", ("onConnectTimeout(",)),
         Form("wakeup", r"\bwait wakeup activity result timeout\b",
              "W WMPFCli.Device: wait wakeup activity result timeout", ("wait wakeup activity result timeout",))),
        N_("binding to com.tencent.wmpf/.app.WMPFService did not finish within 10 s (WMPF slow to start, "
           "blocked by the ROM, or crashing on start)"),
        N_("Check that WMPF is allowed to autostart and stays alive; look for WMPF crashes in the log."),
        faq="4.5", severity="warn", sources=(AAR + " (IPCBridgeManager, WMPFDeviceApi)", issue(152))),
    Signature(
        "provider-not-visible", N_("WMPF's provider not visible"),
        (Form("text", r"Failed to find provider info for com\.tencent\.wmpf\.comm\.provider",
              "E ActivityThread: Failed to find provider info for com.tencent.wmpf.comm.provider",
              ("Failed to find provider info for com.tencent.wmpf.comm.provider",)),),
        N_("the maker's app targets Android 11+ (targetSdk >= 30) but does not declare WMPF's provider in "
           "<queries>, so Android hides WMPF from it (or WMPF is not installed)"),
        N_("Add <queries><provider android:authorities=\"com.tencent.wmpf.comm.provider\"/></queries> to the "
           "maker's app manifest and rebuild it."), faq="4.6", sources=("shared/wmpf-faq.zh.md 4.6",)),
    Signature(
        "login-failed", N_("WeChat login on the device failed or is needed (QR code, 10004/10005)"),
        code_forms(("10004", "10005"), r"may be missing app permissions|no authorize",
                   "may be missing app permissions") + (
            Form("qrcode-result", r"GetQRCodeResult: resp errcode = (?!0\b)-?\d{1,6}\b",
                 "2024-05-11 09:12:40.118 5120-5301/com.tencent.wmpf E/MicroMsg.SDK.GetQRCodeResult: resp "
                 "errcode = -21", ("GetQRCodeResult: resp errcode = ",), own_process=True),
            Form("qrcode-task", r"get qrcode fail, OAuthErrCode = OAuthErrCode:-?\d{1,6}",
                 "E/MicroMsg.SDK.GetQRCodeTask: onPostExecute, get qrcode fail, OAuthErrCode = OAuthErrCode:-1",
                 ("get qrcode fail",), own_process=True),
            Form("text", r"\bmay be missing app permissions\b",
                 "errMsg:may be missing app permissions NULL(10000)    ret:10004", ("may be missing app permissions",))),
        N_("the hostAppId has no WeChat login permission (so the login QR code cannot be fetched or the login "
           "is refused), WMPF lacks a system permission (10004), or a development or trial mini program was "
           "launched before a user logged in on the device (10005)"),
        N_("Open the login permission for the hostAppId on the WeChat Open Platform (wecooper › 申请后台接口); log in "
           "(authorize) before launching a development or trial version; calls for hardware need no login on "
           "the device, so avoid wx.login in the mini program there."),
        faq="4.3", sources=(AAR + " (TaskError 10004)", issue(44), issue(50))),
    Signature(
        "network-transfer", N_("err:TRANSFER (request to WeChat failed)"),
        (Form("faq", r"\berr:TRANSFER errCode:\s?-?\d{1,6}", "err:TRANSFER errCode:33", ("err:TRANSFER",)),
         Form("launch-page", r"\berr:TRANSFER\b", "err:TRANSFER,errCode:-5,errMsg", ("err:TRANSFER",))),
        N_("a request from WMPF to WeChat's servers failed or timed out (33: 30 s): unstable network, a failed "
           "re-login, or the same deviceId activated on another device"),
        N_("Check the network; make sure no other device uses the same deviceId."), faq="4.9",
        sources=("shared/wmpf-faq.zh.md 4.9", issue(98))),
    Signature(
        "network-decode", N_("err:DECODE (WeChat's answer unreadable)"),
        (Form("launch-page", r"\berr:DECODE\b", "wmpf err:DECODE,errCode:0,errMsg:null", ("err:DECODE",)),),
        N_("WMPF could not read WeChat's answer while starting a mini program, which then stays on its launch "
           "page; seen when the mobile app (hostAppId) and the mini program are not bound on wecooper"),
        N_("Bind the hostAppId and the mini program's appId on wecooper, check the network and the clock, and "
           "upgrade WMPF."), sources=(issue(98), issue(100))),
    Signature(
        "cert-fail", N_("cert fail (device registration)"),
        (Form("register", r"registerMiniProgramDevice[^\n]{0,80}\bcert fail\b",
              "E WMPFCli.Device: registerMiniProgramDevice failed: code=-1, msg=cert fail", ("cert fail",)),
         Form("text", r"\bcert fail\b", "W WMPFCli.Device: cert fail", ("cert fail",), hinted=True)),
        N_("registerMiniProgramDevice failed after WMPF's data was cleared: the registration no longer matches"),
        N_("Clear WMPF's data and register the mini-program device again with the same appId, modelId and SN."),
        fix=CLEAR_CACHE,
        sources=("https://developers.weixin.qq.com/miniprogram/dev/framework/device/device-register-wmpf.html",)),
    Signature(
        "wmpf-crash", N_("WMPF's own process crashed"),
        (Form("fatal-exception", rf"\bProcess: {WMPF_PROCESS}, PID: \d{{1,7}}",
              "    Process: com.tencent.wmpf:container, PID: 5388", ("Process: com.tencent.",)),
         Form("tombstone", rf">>> {WMPF_PROCESS} <<<",
              "F DEBUG   : pid: 4471, tid: 4502, name: RenderThread  >>> com.tencent.wmpf:container <<<",
              (">>> com.tencent.",)),
         Form("am-crash", rf"\bam_crash\s{{0,3}}:?\s{{0,3}}\[(?:\d{{1,7}},){{1,2}}{WMPF_PROCESS},",
              "I am_crash: [4471,0,com.tencent.wmpf,952745540,java.lang.NullPointerException,", ("am_crash",)),
         Form("am-anr", rf"\bam_anr\s{{0,3}}:?\s{{0,3}}\[(?:\d{{1,7}},){{1,2}}{WMPF_PROCESS},",
              "I am_anr  : [0,4471,com.tencent.wmpf,952745732,Input dispatching timed out", ("am_anr",)),
         Form("anr", rf"\bANR in {WMPF_PROCESS}", "E ActivityManager: ANR in com.tencent.wmpf:container",
              ("ANR in com.tencent.",)),
         Form("too-many", rf"\bProcess {WMPF_PROCESS} has crashed too many times",
              "W ActivityManager: Process com.tencent.wmpf has crashed too many times: killing!",
              ("has crashed too many times",))),
        N_("a process of WMPF itself (the service com.tencent.wmpf, a mini-program process :container*, or "
           "ilink's service process) crashed or stopped responding; WMPF loses its activation and callbacks"),
        N_("The maker's app should watch WMPF (IPCInvoker.addRemoteProcDiedListener), start it and activate again; "
           "if WMPF is a system app, update its .so files with it; send the crash lines and WMPF's xlog to WeChat "
           "support."), faq="4.2",
        sources=("AOSP frameworks/base ActivityManagerService / RuntimeInit (FATAL EXCEPTION, am_crash, ANR)",
                 "AOSP system/core debuggerd tombstone header", "shared/wmpf-domain.md §1 (processes)", issue(22),
                 issue(43))),
    Signature(
        "wmpf-died", N_("WMPF's own process died"),
        (Form("has-died", rf"\bProcess {WMPF_MAIN} \(pid \d{{1,7}}\) has died",
              "I ActivityManager: Process com.tencent.wmpf (pid 4471) has died: fore SVC", ("has died",)),
         # a cached mini-program process reclaimed for memory is Android doing its job: not counted
         Form("has-died-container", rf"\bProcess {WMPF_CONTAINER} \(pid \d{{1,7}}\) has died(?!: cch)",
              "I ActivityManager: Process com.tencent.wmpf:container (pid 5388) has died: vis TOP", ("has died",)),
         Form("am-proc-died", rf"\bam_proc_died\s{{0,3}}:?\s{{0,3}}\[(?:\d{{1,7}},){{1,2}}{WMPF_MAIN},",
              "I am_proc_died: [0,4471,com.tencent.wmpf,0,4]", ("am_proc_died",)),
         Form("am-proc-died-container", rf"\bam_proc_died\s{{0,3}}:?\s{{0,3}}\[(?:\d{{1,7}},){{1,2}}{WMPF_CONTAINER},"
              rf"(?!9\d\d[,\]])-?\d{{1,4}}[,\]]", "I am_proc_died: [0,5388,com.tencent.wmpf:container,200,2]",
              ("am_proc_died",))),
        N_("a process of WMPF ended without Android stopping it (a crash, or killed for memory or by a cleaner); "
           "a mini-program process going away in the background can be normal"),
        N_("If com.tencent.wmpf itself died: allow WMPF to autostart and run in the background, whitelist it from "
           "battery optimisation, and have the maker's app start it and activate again."),
        faq="4.2", severity="warn",
        sources=("AOSP frameworks/base ActivityManagerService.appDiedLocked (logs only deaths it did not cause; "
                 "since Android 9 with the process's oom_adj and state, `cch` = cached)",
                 "AOSP frameworks/base ProcessList (CACHED_APP_MIN_ADJ 900), EventLogTags am_proc_died")),
    Signature(
        "call-refused", N_("WMPF refused the call (10002/10003/10007/10008)"),
        code_forms(("10002", "10003", "10007", "10008"),
                   r"duplicate request|may be missing permissions|invalid data|not support", "not support"),
        N_("WMPF refused a call of the maker's app: 10008 this WMPF is too old for the API, 10003 the app (wmpf-cli) "
           "lacks permission for it, 10007 its parameters are invalid, 10002 the same request is still running"),
        N_("For 10008 upgrade WMPF (to the wmpf-cli's version); for 10003 ask for the API's permission for the "
           "hostAppId; for 10007 check the call's parameters; for 10002 wait for the first call to finish."),
        severity="warn", sources=(AAR + " (TaskError)", TASK_ERROR_DOC)),
    Signature(
        "activate-fail-10012", N_("device activation failed (10012)"),
        code_forms(("10012",), r"activate device fail", "activate device fail") + (
            Form("text", r"\bactivate device fail\b", "errMsg=activate device fail", ("activate device fail",)),
            Form("cli", r"\bactivate device\([^)\n]{0,128}\) failed, please check your device info",
                 "E WMPFCli.Device: activate device(SN0001) failed, please check your device info. reason=(-1,"
                 "internal error)", ("please check your device info",)),
            Form("demo-text", r"设备激活失败|激活设备失败", "E WMPF-API: 设备激活失败: errType:3, errCode:-1", ACTIVATE_FAIL)),
        N_("ActivateDevice failed for a reason WMPF did not name (an internal error or an unknown code)"),
        N_("Check productId, keyVersion, deviceId, signature and hostAppId, the network and the WMPF version, "
           "then activate again; if it persists, send WMPF's xlog files to WeChat support."),
        sources=_ACTIVATION_SOURCES + (issue(66), issue(83))),
)


def find(signature_id: str) -> Signature:
    return next(s for s in SIGNATURES if s.id == signature_id)
