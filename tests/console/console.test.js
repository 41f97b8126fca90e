// The clerk console in a real browser: Debian's chromium, headless, driven over the DevTools
// protocol by puppeteer-core. Run by tests/integration/console.sh, which owns the registry,
// the kiosks and the display: when this script needs one of them it prints "STEP NAME" and
// waits for the shell's answer line ("done" or "failed ...") on its standard input.
//
//   CONSOLE_URL  https://127.0.0.1:PORT       CHROMIUM  the browser's path
//   SPKI         base64 SHA-256 of the registry certificate's key (the browser trusts it alone)
//   OUT          a folder for the PDF and the pages' screenshots
// Prints "ok - ..." and "not ok - ..." lines; exits 1 when any failed.
"use strict";
const puppeteer = require("puppeteer-core");
const fs = require("fs");
const readline = require("readline");

const base = process.env.CONSOLE_URL;
const out = process.env.OUT;
let failed = 0;
function ok(cond, what) {
  console.log((cond ? "ok - " : "not ok - ") + what);
  if (!cond) failed++;
}

const rl = readline.createInterface({ input: process.stdin });
const answers = [];
let waiting = null;
rl.on("line", (l) => {
  if (waiting) { const w = waiting; waiting = null; w(l); } else answers.push(l);
});
function step(name) {
  console.log("STEP " + name);
  return new Promise((res) => {
    if (answers.length) res(answers.shift()); else waiting = res;
  });
}

async function text(page) {
  return page.evaluate(() => document.body.innerText);
}

async function login(page, id, password) {
  await page.goto(base + "/login", { waitUntil: "domcontentloaded" });
  await page.type("#id", id);
  await page.type("#password", password);
  await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.click("#login")]);
}

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: "domcontentloaded" }), page.click(selector)]);
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--ignore-certificate-errors-spki-list=" + process.env.SPKI,
           "--disable-gpu", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    page.on("dialog", (d) => d.accept()); // 确定标记为未到？
    await page.setViewport({ width: 1366, height: 900 });

    // wrong passwords lock the account out; then the right one is refused too
    for (let i = 1; i <= 5; i++) await login(page, "yt01-li", "not-her-password");
    let t = await text(page);
    ok(/账号已锁定至 \d\d:\d\d/.test(t), "five wrong passwords lock the account (" + t.match(/密码错误[^\n]*/) + ")");
    await login(page, "yt01-li", "li-window-pass");
    t = await text(page);
    ok(/账号已锁定/.test(t) && page.url().endsWith("/login"), "locked, the right password is refused too");

    // the clerk logs in: the queue of her office, no ticket yet
    await login(page, "yt01-zhang", "window-3-pass");
    ok(page.url().endsWith("/queue"), "the clerk logs in and sees the queue (" + page.url() + ")");
    t = await text(page);
    ok(t.includes("张敏") && t.includes("1号窗口") && t.includes("5号窗口"), "her name and her office's windows");
    ok(!t.includes("J001"), "no ticket yet");

    // a couple files 婚育户一件事 at the kiosk: the page, left open, shows the ticket by itself
    const joint = await step("joint");
    ok(joint === "done", "the couple's application at the kiosk (" + joint + ")");
    await page.waitForFunction(() => document.querySelector("#tickets") &&
                               document.querySelector("#tickets").innerText.includes("J001"),
                               { timeout: 20000 });
    ok(true, "the ticket J001 appears on the open page by itself");
    await page.screenshot({ path: out + "/console_queue.png", fullPage: true });

    // a window that serves only divorces has nothing for it
    await submit(page, "#call-5");
    t = await text(page);
    ok(t.includes("该窗口没有等候的号"), "window 5 (divorces only) has nothing to call");
    // window 1 calls it
    await submit(page, "#call-1");
    t = await text(page);
    ok(t.includes("已呼叫 J001"), "window 1 calls J001");
    const serving = await page.$eval("#window-1 .serving", (e) => e.innerText).catch(() => "");
    ok(serving === "J001", "window 1 serves J001 (" + serving + ")");
    await page.screenshot({ path: out + "/console_called.png", fullPage: true });
    const shown = await step("display_shows");
    ok(shown === "done", "the display shows and speaks the call (" + shown + ")");

    // the application in full, unmasked
    await submit(page, "#window-1 a[id^=open-]");
    t = await text(page);
    const names = (process.env.NAMES || "").split(",");
    ok(names.every((n) => t.includes(n)), "the record shows both parties' names in full (" + names + ")");
    ok(t.includes(process.env.ID_A), "and the man's ID number unmasked");
    ok(t.includes("您的每次查看都会记入审计日志"), "and says each view is audited");
    await page.screenshot({ path: out + "/console_record.png", fullPage: true });
    const ticketUrl = page.url();
    const ticketId = new URL(ticketUrl).searchParams.get("id");

    // the 声明书, as the browser gets it (the session's cookie)
    const pdf = await page.evaluate(async (id) => {
      const r = await fetch("/declaration?ticket=" + id);
      const b = new Uint8Array(await r.arrayBuffer());
      let s = "";
      for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
      return { status: r.status, type: r.headers.get("content-type"), data: btoa(s) };
    }, ticketId);
    fs.writeFileSync(out + "/declaration.pdf", Buffer.from(pdf.data, "base64"));
    ok(pdf.status === 200 && pdf.type === "application/pdf", "the 声明书 PDF opens (" + pdf.status + " " + pdf.type + ")");

    // returned with a reason
    await page.select("#status", "returned");
    await submit(page, "#set-status");
    t = await text(page);
    ok(t.includes("退回时请写明原因"), "returning without a reason is refused, saying why");
    await page.goto(ticketUrl, { waitUntil: "domcontentloaded" });
    await page.select("#status", "returned");
    await page.type("#reason", "请双方携带户口簿原件到1号窗口补充材料");
    await submit(page, "#set-status");
    t = await text(page);
    ok(t.includes("办理状态已更新") && t.includes("已退回（原因：请双方携带户口簿原件到1号窗口补充材料）"),
       "returned with its reason");

    // a forged post, without the session's form token, is refused
    const forged = await page.evaluate(async () => {
      const r = await fetch("/queue/call", { method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "window=1" });
      const r2 = await fetch("/queue/call", { method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "window=1&csrf=00000000000000000000000000000000" });
      return [r.status, r2.status];
    });
    ok(forged[0] === 403 && forged[1] === 403, "forged posts without the session's token are refused (" + forged + ")");

    // live alerts: a citizen presses 呼叫工作人员 at a kiosk whose reader is not there; the open
    // queue page shows both by itself
    await page.goto(base + "/queue", { waitUntil: "domcontentloaded" });
    const alert = await step("kiosk_alert");
    ok(alert === "done", "a kiosk calls staff (" + alert + ")");
    await page.waitForFunction(() => {
      const t = document.getElementById("alerts").innerText;
      return t.includes("群众呼叫工作人员") && t.includes("读卡器未连接");
    }, { timeout: 20000 }).then(() => ok(true, "the open page shows 呼叫工作人员 and the missing reader by itself"),
                                () => ok(false, "the open page shows the kiosk's alerts"));
    await page.screenshot({ path: out + "/console_alerts.png", fullPage: true });

    // another office's clerk sees none of it
    const other = await browser.createBrowserContext();
    const op = await other.newPage();
    await login(op, "fs01-wang", "other-office-pass");
    t = await text(op);
    ok(op.url().endsWith("/queue") && t.includes("370699") && !t.includes("J001") &&
       !t.includes("呼叫工作人员"), "another office's clerk logs in and sees no J001, no alert");
    await op.goto(base + "/ticket?id=" + ticketId, { waitUntil: "domcontentloaded" });
    t = await text(op);
    ok(t.includes("找不到这个号") && !names.some((n) => t.includes(n)), "nor its record by its id");
    const otherPdf = await op.evaluate(async (id) => (await fetch("/declaration?ticket=" + id)).status, ticketId);
    ok(otherPdf === 404, "nor its 声明书 (" + otherPdf + ")");
    const otherCall = await op.evaluate(async () => {
      const csrf = document.querySelector("input[name=csrf]").value;
      const r = await fetch("/queue/call", { method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "window=1&csrf=" + csrf });
      return r.url;
    });
    ok(otherCall.includes("m=notfound"), "nor can call its window (" + otherCall + ")");
    await other.close();

    // the registry stops: the open page says so; back, the same session goes on
    await page.goto(base + "/queue", { waitUntil: "domcontentloaded" });
    const down = await step("registry_down");
    ok(down === "done", "the registry is down (" + down + ")");
    await page.waitForFunction(() => !document.getElementById("offline").hidden, { timeout: 15000 });
    ok(true, "the open page says the connection is lost");
    const up = await step("registry_up");
    ok(up === "done", "the registry is back (" + up + ")");
    await page.waitForFunction(() => document.getElementById("offline").hidden, { timeout: 15000 });
    await page.goto(base + "/queue", { waitUntil: "domcontentloaded" });
    ok(page.url().endsWith("/queue") && (await text(page)).includes("J001"),
       "the session outlives the restart: the queue with J001");
    await submit(page, "#window-1 button[id^=recall-]");
    t = await text(page);
    ok(t.includes("已重呼 J001"), "J001 recalled after the restart");
    const again = await step("display_again");
    ok(again === "done", "the display shows the recall (" + again + ")");
    await submit(page, "#window-1 button[id^=done-]");
    ok((await text(page)).includes("J001 已办结"), "and finished");

    // the day's counts
    await page.goto(base + "/today", { waitUntil: "domcontentloaded" });
    t = await text(page);
    ok(/1\s*取号/.test(t) && /1\s*已办结/.test(t), "the day's counts: 1 ticket, 1 done");
    await page.screenshot({ path: out + "/console_today.png", fullPage: true });

    // logout ends the session
    await submit(page, "#logout");
    await page.goto(base + "/queue", { waitUntil: "domcontentloaded" });
    ok(page.url().endsWith("/login"), "after logout the queue asks for a login");
  } catch (e) {
    ok(false, "the browser test ran to its end: " + e.message);
  } finally {
    await browser.close();
    rl.close();
  }
  process.exit(failed ? 1 : 0);
})();
