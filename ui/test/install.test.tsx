// The Nodes screen's node program: install a pinned release with a progress bar, or use a
// program already on this computer; the practice node ships with Lightrig and has neither.
import { afterEach, describe, expect, it } from "vitest";
import { HttpBackend } from "../src/backend/http";
import { isEventName } from "../src/backend/types";
import { button, check, click, flush, mountApp, type } from "./helpers";

// Units are set with a no-break space; compare with plain spaces.
const text = (el: Element) => (el.textContent ?? "").replace(/[\u00a0\u202f]/g, " ");
let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

async function nodesScreen(profile: string) {
  const r = await mountApp("running", "#/nodes");
  cleanup = r.unmount;
  const radio = [...r.el.querySelectorAll<HTMLInputElement>('input[name="profile"]')].find((i) => i.value === profile);
  if (!radio) throw new Error(`no profile ${profile}`);
  await check(radio);
  await flush();
  return r;
}

describe("node program", () => {
  it("is not offered for the bundled practice node", async () => {
    const { el } = await mountApp("running", "#/nodes");
    cleanup = () => undefined;
    expect(el.querySelector(".node-program")).toBeNull();
  });

  it("installs the pinned release, showing progress from the engine's events", async () => {
    const { el, mock } = await nodesScreen("xmrig-p2pool");
    expect(text(el)).toContain("has no program yet");
    const install = button(el, /^Install 6\.22\.2 \(3\.1\sMB\)$/);

    // An install under way (started elsewhere, e.g. by another window): the bar follows it.
    mock.emit({ event: "install://progress", payload: { node: "xmrig", bytes: 1_048_576, total: 3_145_728, rate_bytes_per_s: 2_000_000, finished: false } });
    await flush();
    const bar = el.querySelector<HTMLProgressElement>(".install-progress progress");
    expect(bar?.value).toBe(1_048_576);
    expect(bar?.max).toBe(3_145_728);
    expect(text(el.querySelector(".install-progress")!)).toBe("1 MB of 3.1 MB · 2 MB/s");
    expect(install.disabled).toBe(true);
    mock.emit({ event: "install://progress", payload: { node: "xmrig", bytes: 3_145_728, total: 3_145_728, rate_bytes_per_s: 2_000_000, finished: true } });
    await flush();
    expect(el.querySelector(".install-progress")).toBeNull();

    await click(button(el, /^Install 6\.22\.2 \(3\.1\sMB\)$/));
    expect(mock.calls.find((c) => c.method === "install")?.args).toEqual([{ node: "xmrig", version: null, allow_downgrade: false }]);
    expect(text(el)).toContain("is installed and verified");
    expect(text(el)).toContain("Runs version 6.22.2 that Lightrig installed");
    expect(text(el)).toContain("checked again before every start");
    expect(el.querySelector(".install-progress")).toBeNull();
    button(el, "Reinstall 6.22.2");
  });

  it("shows the engine's refusal as it is", async () => {
    const { el, mock } = await nodesScreen("xmrig-p2pool");
    mock.failNext("install", { code: "installer.bad_signature", message: "the signed checksum list could not be verified: it was not installed and nothing was run" });
    await click(button(el, /^Install 6\.22\.2/));
    expect(el.querySelector('[role="alert"]')?.textContent).toContain("nothing was run");
  });

  it("uses a program on this computer when Lightrig has no release pinned", async () => {
    const { el, mock } = await nodesScreen("storj");
    expect(text(el)).toContain("cannot install Storj storage node yet");
    expect([...el.querySelectorAll("button")].some((b) => text(b).startsWith("Install"))).toBe(false);
    const input = el.querySelector<HTMLInputElement>("#np-path-storj")!;
    expect(input.value).toBe("/usr/bin/storagenode");

    await type(input, "storagenode");
    await click(button(el, "Use this program"));
    expect(el.querySelector('[role="alert"]')?.textContent).toContain("full path");

    await type(input, "/opt/storj/storagenode");
    await click(button(el, "Use this program"));
    expect(mock.calls.filter((c) => c.method === "adopt").at(-1)?.args).toEqual([{ node: "storj", path: "/opt/storj/storagenode" }]);
    expect(text(el)).toContain("Runs the program you chose: /opt/storj/storagenode");
    expect(text(el)).toContain("Recorded /opt/storj/storagenode");
  });

  it("speaks Chinese too", async () => {
    const r = await mountApp("restricted", "#/nodes");
    cleanup = r.unmount;
    const radio = [...r.el.querySelectorAll<HTMLInputElement>('input[name="profile"]')].find((i) => i.value === "storj")!;
    await check(radio);
    await flush();
    expect(text(r.el)).toContain("节点程序");
    expect(text(r.el)).toContain("使用这台电脑上的程序");
  });
});

describe("browser mode", () => {
  it("sends the install calls to the serve API with the token, and reads install events", async () => {
    const calls: Array<{ url: string; method: string; body: unknown; auth: string | undefined }> = [];
    const answer = { node: "xmrig" };
    const fetch = (async (url: string, init?: RequestInit) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      calls.push({ url, method: init?.method ?? "GET", body: init?.body ? JSON.parse(init.body as string) : undefined, auth: headers.Authorization });
      return { status: 200, ok: true, statusText: "OK", text: async () => JSON.stringify(url === "/api/installs" ? [answer] : answer), body: null };
    }) as unknown as typeof globalThis.fetch;
    const backend = new HttpBackend({
      fetch,
      storage: { getItem: () => "tok", setItem: () => undefined },
      location: { hash: "", pathname: "/", search: "", origin: "http://127.0.0.1:7420" },
    });
    expect(await backend.installs()).toEqual([answer]);
    await backend.install({ node: "xmrig", version: "6.22.2", allow_downgrade: false });
    await backend.adopt({ node: "monerod", path: "/usr/bin/monerod" });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(["GET /api/installs", "POST /api/installs/install", "POST /api/installs/adopt"]);
    expect(calls[1]?.body).toEqual({ node: "xmrig", version: "6.22.2", allow_downgrade: false });
    expect(calls[2]?.body).toEqual({ node: "monerod", path: "/usr/bin/monerod" });
    expect(calls.every((c) => c.auth === "Bearer tok")).toBe(true);

    expect(isEventName("install://progress")).toBe(true);
  });
});
