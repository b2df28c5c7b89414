// A minimal W3C WebDriver client (plain fetch) for tauri-driver, which drives the real
// desktop app through WebKitWebDriver. Only what the desktop test needs.
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, application, timeoutMs = 60_000) {
    const body = { capabilities: { alwaysMatch: { "tauri:options": { application } } } };
    const r = await fetch(`${base}/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const v = (await r.json()).value;
    if (!v?.sessionId) throw new Error(`no session: ${JSON.stringify(v)}`);
    return new Session(base, v.sessionId);
  }

  async cmd(method, path, body) {
    const r = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const v = (await r.json()).value;
    if (v && v.error) throw new Error(`${path}: ${v.error}: ${v.message}`);
    return v;
  }

  async find(css) {
    const v = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return v[ELEMENT];
  }

  async text(css) {
    return this.cmd("GET", `/element/${await this.find(css)}/text`);
  }

  async click(css) {
    return this.cmd("POST", `/element/${await this.find(css)}/click`, {});
  }

  async exec(script, args = []) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd("GET", "/screenshot"), "base64");
  }

  async close() {
    try {
      await fetch(`${this.base}/session/${this.id}`, { method: "DELETE", signal: AbortSignal.timeout(20_000) });
    } catch {
      /* the app may already be gone (Quit) */
    }
  }
}
