// A server-sent-events parser (the WHATWG "event stream interpretation"), fed text chunks as
// they arrive from fetch(). EventSource cannot send an Authorization header, so browser mode
// reads /api/events with fetch and parses the stream here.

export interface SseMessage {
  /** The `event:` field, or "message" when the server sent none. */
  event: string;
  data: string;
  id: string;
}

export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private eventName = "";
  private lastId = "";
  private started = false;
  /** Set when the server sends `retry: N` (milliseconds). */
  retryMs: number | null = null;

  constructor(private readonly onMessage: (m: SseMessage) => void) {}

  /** Feeds the next chunk of decoded text; complete messages are dispatched at once. */
  feed(chunk: string): void {
    let text = this.buffer + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== "\n" && c !== "\r") continue;
      // A CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (c === "\r" && i === text.length - 1) break;
      this.line(text.slice(start, i));
      if (c === "\r" && text[i + 1] === "\n") i++;
      start = i + 1;
    }
    this.buffer = text.slice(start);
  }

  /** The stream ended: a message without its closing blank line is dropped, as the spec says. */
  end(): void {
    if (this.buffer.endsWith("\r")) this.line(this.buffer.slice(0, -1));
    this.buffer = "";
    this.data = [];
    this.eventName = "";
  }

  private line(line: string): void {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.startsWith(":")) return; // comment, e.g. a keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventName = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.lastId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(): void {
    const name = this.eventName || "message";
    this.eventName = "";
    if (this.data.length === 0) return;
    const data = this.data.join("\n");
    this.data = [];
    this.onMessage({ event: name, data, id: this.lastId });
  }
}
