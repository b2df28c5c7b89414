import { describe, expect, it, vi } from "vitest";
import type { AppEvent, Snapshot } from "../src/bindings";
import { backoffMs, HttpBackend, type HttpEnv, takeToken, TOKEN_KEY } from "../src/backend/http";
import { SseParser, type SseMessage } from "../src/backend/sse";
import { BackendError, type LinkState } from "../src/backend/types";
import { MockBackend } from "../src/backend/mock";

// ---------- a fake browser around the backend ----------

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

interface FakeRes {
  status: number;
  ok: boolean;
  statusText: string;
  text: () => Promise<string>;
  body: ReadableStream<Uint8Array> | null;
}

const json = (status: number, value: unknown): FakeRes => ({
  status,
  ok: status >= 200 && status < 300,
  statusText: status === 200 ? "OK" : "Error",
  text: async () => (value === undefined ? "" : JSON.stringify(value)),
  body: null,
});

/** An event stream whose chunks the test pushes, then closes. */
function eventStream() {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
  const enc = new TextEncoder();
  return {
    res: { status: 200, ok: true, statusText: "OK", text: async () => "", body } satisfies FakeRes,
    push: (s: string) => ctrl.enqueue(enc.encode(s)),
    close: () => ctrl.close(),
  };
}

function fakeEnv(routes: (c: Call) => FakeRes | Promise<FakeRes>, hash = "") {
  const calls: Call[] = [];
  const store = new Map<string, string>();
  const replaced: string[] = [];
  const opened: Array<[string, string, string]> = [];
  const sleeps: number[] = [];
  const env: HttpEnv = {
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const c: Call = { url: String(input), method: init?.method ?? "GET", headers: (init?.headers ?? {}) as Record<string, string>, body: init?.body as string | undefined };
      calls.push(c);
      return routes(c);
    }) as unknown as typeof fetch,
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
    location: { hash, pathname: "/", search: "", origin: "http://127.0.0.1:7420" },
    history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
    open: (u, t, f) => void opened.push([u, t, f]),
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  };
  return { env, calls, store, replaced, opened, sleeps };
}

const snapshotFixture = async (): Promise<Snapshot> => new MockBackend({ scenario: "running" }).snapshot();

// ---------- token ----------

describe("the browser-mode token", () => {
  it("is taken from #token=, kept in sessionStorage and removed from the address bar", () => {
    const f = fakeEnv(() => json(200, {}), "#token=s3cret");
    expect(takeToken(f.env)).toBe("s3cret");
    expect(f.store.get(TOKEN_KEY)).toBe("s3cret");
    expect(f.replaced).toEqual(["/"]);
  });

  it("keeps the rest of the fragment", () => {
    const f = fakeEnv(() => json(200, {}), "#token=abc&view=logs");
    takeToken(f.env);
    expect(f.replaced).toEqual(["/#view=logs"]);
  });

  it("comes from sessionStorage after a reload", () => {
    const f = fakeEnv(() => json(200, {}));
    f.store.set(TOKEN_KEY, "kept");
    expect(takeToken(f.env)).toBe("kept");
    expect(f.replaced).toEqual([]);
  });

  it("is sent as a bearer token with every request", async () => {
    const f = fakeEnv(() => json(200, null), "#token=t1");
    const b = new HttpBackend(f.env);
    await b.start();
    await b.compliance();
    expect(f.calls.map((c) => [c.method, c.url, c.headers.Authorization])).toEqual([
      ["POST", "/api/node/start", "Bearer t1"],
      ["GET", "/api/compliance", "Bearer t1"],
    ]);
  });
});

// ---------- requests ----------

describe("HTTP requests", () => {
  it("map to the documented endpoints and bodies", async () => {
    const f = fakeEnv((c) => json(200, c.url.startsWith("/api/logs") ? [] : c.method === "PUT" ? JSON.parse(c.body ?? "{}") : undefined), "#token=t");
    const b = new HttpBackend(f.env);
    await b.selectNode("practice", { threads: 2 });
    await b.logs(41);
    await b.series("24h");
    await b.pause();
    await b.resume();
    await b.stop();
    const saved = await b.saveSettings({ ...(await snapshotFixture()).settings, currency: "CNY" });
    expect(saved.currency).toBe("CNY");
    expect(f.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "POST /api/node/select",
      "GET /api/logs?after=41",
      "GET /api/series?range=24h",
      "POST /api/node/pause",
      "POST /api/node/resume",
      "POST /api/node/stop",
      "PUT /api/settings",
    ]);
    expect(JSON.parse(f.calls[0]?.body ?? "")).toEqual({ profile_id: "practice", values: { threads: 2 } });
    expect(f.calls[6]?.headers["Content-Type"]).toBe("application/json");
  });

  it("turn an ApiError body into a BackendError with its field", async () => {
    const f = fakeEnv(() => json(400, { code: "settings.invalid", message: "45 is not a believable price per kWh", field: "price_per_kwh" }));
    const err = await new HttpBackend(f.env).saveSettings((await snapshotFixture()).settings).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err).toMatchObject({ code: "settings.invalid", field: "price_per_kwh", message: "45 is not a believable price per kWh" });
  });

  it("explain a 401 and report the link as unauthorized", async () => {
    const f = fakeEnv(() => json(401, { code: "auth", message: "no" }));
    const b = new HttpBackend(f.env);
    const links: LinkState[] = [];
    b.onLink((l) => links.push(l));
    const err = await b.snapshot().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "http.unauthorized", message: "This page needs the link Lightrig printed (with its token)." });
    expect(links).toEqual(["connecting", "unauthorized"]);
  });

  it("say what to try when the server is unreachable or answers nonsense", async () => {
    const down = fakeEnv(() => Promise.reject(new TypeError("Failed to fetch")));
    await expect(new HttpBackend(down.env).snapshot()).rejects.toMatchObject({ code: "http.unreachable", message: expect.stringContaining("lightrig serve") });
    const html = fakeEnv(() => ({ ...json(502, null), text: async () => "<html>bad gateway</html>" }));
    await expect(new HttpBackend(html.env).snapshot()).rejects.toMatchObject({ code: "http.502", message: expect.stringContaining("Try again") });
  });

  it("open only https links, with noopener", async () => {
    const f = fakeEnv(() => json(200, null));
    const b = new HttpBackend(f.env);
    await b.openExternal("https://www.ndrc.gov.cn/x");
    for (const bad of ["http://example.com", "javascript:alert(1)", "file:///etc/passwd", "https://user:pw@example.com/", "not a url"]) {
      await expect(b.openExternal(bad), bad).rejects.toMatchObject({ code: "url.refused" });
    }
    expect(f.opened).toEqual([["https://www.ndrc.gov.cn/x", "_blank", "noopener,noreferrer"]]);
  });
});

// ---------- SSE ----------

describe("the SSE parser", () => {
  const parse = (chunks: string[]) => {
    const out: SseMessage[] = [];
    const p = new SseParser((m) => out.push(m));
    for (const c of chunks) p.feed(c);
    p.end();
    return { out, p };
  };

  it("reads named events with JSON data", () => {
    const { out } = parse(['event: node://status\ndata: {"a":1}\n\n', "event: node://log\ndata: {\"seq\":2}\n\n"]);
    expect(out).toEqual([
      { event: "node://status", data: '{"a":1}', id: "" },
      { event: "node://log", data: '{"seq":2}', id: "" },
    ]);
  });

  it("joins messages split anywhere across chunks, with LF, CRLF or CR line ends", () => {
    const text = "event: x\r\ndata: one\r\ndata: two\r\n\r\nevent: y\rdata: 3\r\r";
    for (let cut = 1; cut < text.length; cut++) {
      const { out } = parse([text.slice(0, cut), text.slice(cut)]);
      expect(out, `cut at ${cut}`).toEqual([
        { event: "x", data: "one\ntwo", id: "" },
        { event: "y", data: "3", id: "" },
      ]);
    }
  });

  it("ignores comments and unknown fields, strips a BOM, keeps id and retry", () => {
    const { out, p } = parse(["\ufeff: keep-alive\n", "id: 7\nretry: 2500\nfoo: bar\ndata:no-space\n\n"]);
    expect(out).toEqual([{ event: "message", data: "no-space", id: "7" }]);
    expect(p.retryMs).toBe(2500);
  });

  it("drops a message that never got its closing blank line, and events without data", () => {
    const { out } = parse(["event: a\n\n", "event: b\ndata: half"]);
    expect(out).toEqual([]);
  });
});

describe("the live event stream", () => {
  it("delivers events, reconnects with backoff and resyncs from a snapshot and the missed log", async () => {
    const first = eventStream();
    const second = eventStream();
    const snap = await snapshotFixture();
    let eventsCalls = 0;
    const f = fakeEnv((c) => {
      if (c.url === "/api/events") return [first.res, second.res][eventsCalls++] ?? new Promise<FakeRes>(() => {});
      if (c.url === "/api/snapshot") return json(200, snap);
      if (c.url.startsWith("/api/logs")) return json(200, [{ seq: 6, at_ms: 1, stream: "stdout", text: "missed" }]);
      return json(404, null);
    }, "#token=tok");
    const b = new HttpBackend(f.env);
    const links: LinkState[] = [];
    b.onLink((l) => links.push(l));
    const got: AppEvent[] = [];
    const stop = b.subscribe((e) => got.push(e));

    await vi.waitFor(() => expect(links).toContain("live"));
    first.push('event: node://log\ndata: {"seq":5,"at_ms":1,"stream":"stderr","text":"boom"}\n\n');
    first.push("event: telemetry://sample\ndata: not json\n\n");
    first.push('event: something://else\ndata: {}\n\n');
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect(got[0]).toEqual({ event: "node://log", payload: { seq: 5, at_ms: 1, stream: "stderr", text: "boom" } });
    expect(f.calls.find((c) => c.url === "/api/events")?.headers.Authorization).toBe("Bearer tok");

    first.close();
    await vi.waitFor(() => expect(got.length).toBeGreaterThanOrEqual(4));
    expect(links).toEqual(["connecting", "live", "reconnecting", "live"]);
    expect(f.sleeps).toEqual([1000 / 2 + (1000 / 2) * 0.5]);
    expect(got.slice(1).map((e) => e.event)).toEqual(["node://status", "telemetry://sample", "node://log"]);
    expect(got[1]?.payload).toEqual(snap.node);
    expect(f.calls.filter((c) => c.url.startsWith("/api/logs")).map((c) => c.url)).toEqual(["/api/logs?after=5"]);
    stop();
  });

  it("stops and reports unauthorized when the stream answers 401", async () => {
    const f = fakeEnv(() => json(401, null));
    const b = new HttpBackend(f.env);
    const links: LinkState[] = [];
    b.onLink((l) => links.push(l));
    b.subscribe(() => {});
    await vi.waitFor(() => expect(links).toContain("unauthorized"));
    expect(f.calls).toHaveLength(1);
    expect(f.sleeps).toEqual([]);
  });

  it("backs off exponentially with jitter, capped at 30 s", () => {
    expect(backoffMs(0, () => 0)).toBe(500);
    expect(backoffMs(0, () => 1)).toBe(1000);
    expect(backoffMs(3, () => 1)).toBe(8000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
    expect(backoffMs(20, () => 0)).toBe(15_000);
  });
});
