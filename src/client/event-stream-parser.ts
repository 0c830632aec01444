/**
 * Reading `text/event-stream` as it arrives, for the live updates (`live-updates.ts`): `fetch`
 * gives bytes, not events, because EventSource cannot send the bearer header a relay on another
 * origin needs.
 */
/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field, `message` when there was none. */
  type: string;
  data: string;
  /** The last event id in force when it was dispatched (`''` when none was ever set). */
  lastEventId: string;
}

/**
 * An incremental parser for `text/event-stream` (WHATWG HTML, "Interpreting an event stream").
 * Feed it decoded text in chunks of any size: lines may end with CRLF, LF or CR, even when a CRLF
 * is split between two chunks; `data:` lines join with LF; comments are skipped; `id` and `retry`
 * are kept. An event not closed by a blank line when the stream ends is dropped, as the spec says.
 */
export class EventStreamParser {
  #buffer = '';
  /** The last chunk ended with CR: an LF starting the next one belongs to the same line end. */
  #skipLeadingLf = false;
  #data = '';
  #hasData = false;
  #type = '';
  #lastEventId = '';
  #retryMs: number | undefined;
  #started = false;

  /** The id to send as `Last-Event-ID` when reconnecting. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** The relay's `retry:` hint in milliseconds, if it sent one. */
  get retryMs(): number | undefined {
    return this.#retryMs;
  }

  /** Parses `text` and returns the events it completed. */
  push(text: string): ServerSentEvent[] {
    if (!this.#started && text.length > 0) {
      this.#started = true;
      // A byte order mark may open the stream (TextDecoder usually drops it already).
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
    if (text.length > 0) this.#skipLeadingLf = false;
    this.#buffer += text;

    const events: ServerSentEvent[] = [];
    let start = 0;
    for (let index = 0; index < this.#buffer.length; index++) {
      const char = this.#buffer[index];
      if (char !== '\n' && char !== '\r') continue;
      const line = this.#buffer.slice(start, index);
      if (char === '\r') {
        if (index + 1 < this.#buffer.length) {
          if (this.#buffer[index + 1] === '\n') index++;
        } else {
          this.#skipLeadingLf = true;
        }
      }
      start = index + 1;
      const event = this.#processLine(line);
      if (event) events.push(event);
    }
    this.#buffer = this.#buffer.slice(start);
    return events;
  }

  #processLine(line: string): ServerSentEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#type = value;
        break;
      case 'data':
        this.#data += value + '\n';
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retryMs = Number(value);
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
    return undefined;
  }

  #dispatch(): ServerSentEvent | undefined {
    const hasData = this.#hasData;
    const event: ServerSentEvent = {
      type: this.#type || 'message',
      data: this.#data.endsWith('\n') ? this.#data.slice(0, -1) : this.#data,
      lastEventId: this.#lastEventId,
    };
    this.#data = '';
    this.#hasData = false;
    this.#type = '';
    return hasData ? event : undefined;
  }
}
