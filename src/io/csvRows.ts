/**
 * A byte-level CSV row splitter (RFC 4180 quotes, `\n`/`\r\n`/`\r` line ends) over a growable
 * buffer fed in chunks, exposing the current row's fields by position (start/end offsets into
 * the buffer) so that the ingestor decodes only the fields it reads and parses plain numbers and
 * dates straight from the bytes. Written for this library; no row object, no string per unread
 * field.
 * @module
 */
import type { KeyDictionary, RowFields } from "../core/tableIngest.js";

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

/** Field flag: the quoted field contains doubled quotes (`""`) to unescape. */
export const F_ESCAPED = 1;
/** Field flag: the field has bytes >= 0x80 (decode as UTF-8, check validity). */
export const F_HIGH = 2;

/** Row problem: none. */
export const ROW_OK = 0;
/** Row problem: a closing quote followed by something other than a delimiter or a line end. */
export const ROW_BAD_QUOTE = 1;
/** Row problem: a quote that is never closed before the end of the input. */
export const ROW_UNTERMINATED = 2;

/** `delimiter` value meaning runs of spaces and tabs. */
export const WHITESPACE = -1;

/** ASCII whitespace except the line ends (which end the row first): tab, VT, FF, space. */
const isAsciiSpace = (c: number): boolean => c === SPACE || c === TAB || c === 11 || c === 12;

/** The value of an ASCII digit byte, or a large negative number for any other byte. */
const digit = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : -100_000);

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Buffer with the (undocumented but long-standing) fast slice decoders, when present. */
interface FastBuffer extends Buffer {
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
}

/**
 * Splits CSV bytes into rows; the current row's fields are readable by position
 * ({@link RowFields}).
 * @internal
 */
export class CsvRows implements RowFields {
  /** Working buffer: unconsumed bytes at `[pos, len)`. */
  buf: FastBuffer;
  /** Bytes held. */
  len = 0;
  /** Start of the unconsumed bytes (the next row). */
  pos = 0;
  /** Field delimiter byte, or {@link WHITESPACE}. */
  delim = 44;
  /** Number of fields in the current row. */
  nf = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  /** Problem of the current row ({@link ROW_OK}, ...). */
  problem = ROW_OK;
  /** Start and end (line terminator excluded) of the current row. */
  rowStart = 0;
  rowEnd = 0;
  /** When set, the current row's fields are these strings (a whitespace line with non-ASCII bytes). */
  strFields: string[] | null = null;
  private readonly latin1: (s: number, e: number) => string;
  private readonly utf8: (s: number, e: number) => string;

  constructor(capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafe(capacity);
    const b = this.buf;
    this.latin1 = typeof b.latin1Slice === "function" ? (s, e) => (this.buf.latin1Slice as (s: number, e: number) => string)(s, e) : (s, e) => this.buf.toString("latin1", s, e);
    this.utf8 = typeof b.utf8Slice === "function" ? (s, e) => (this.buf.utf8Slice as (s: number, e: number) => string)(s, e) : (s, e) => this.buf.toString("utf8", s, e);
  }

  /** Move the unconsumed bytes to the front and make room for at least `room` more bytes. */
  reserve(room: number): void {
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.len);
      this.len -= this.pos;
      this.pos = 0;
    }
    if (this.buf.length - this.len < room) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + room)) as FastBuffer;
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
  }

  /** Append a chunk of bytes. */
  append(chunk: Uint8Array): void {
    this.reserve(chunk.length);
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  private pushField(s: number, e: number, f: number): void {
    const k = this.nf;
    if (k === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      this.flags = grow(this.flags);
    }
    this.starts[k] = s;
    this.ends[k] = e;
    this.flags[k] = f;
    this.nf = k + 1;
  }

  /**
   * Split the next row starting at `pos`. Returns true and advances `pos` past the row (and its
   * line end) when a whole row is in the buffer, false when more bytes are needed (only when
   * `final` is false). At the end of the input (`final`), the last row ends at `len`.
   */
  next(final: boolean): boolean {
    return this.delim === WHITESPACE ? this.nextWhitespace(final) : this.nextDelimited(final);
  }

  private nextDelimited(final: boolean): boolean {
    const buf = this.buf;
    const end = this.len;
    const d = this.delim;
    let p = this.pos;
    this.nf = 0;
    this.problem = ROW_OK;
    this.strFields = null;
    this.rowStart = p;
    for (;;) {
      // At the start of a field.
      if (p >= end) {
        if (!final) return false;
        this.pushField(p, p, 0);
        this.rowEnd = p;
        this.pos = p;
        return true;
      }
      let c = buf[p];
      if (c !== QUOTE) {
        // Unquoted field: up to the delimiter or the line end.
        let hi = 0;
        let q = p;
        while (q < end) {
          c = buf[q];
          if (c === d || c === LF || c === CR) break;
          hi |= c;
          q++;
        }
        this.pushField(p, q, hi & 0x80 ? F_HIGH : 0);
        if (q >= end) {
          if (!final) return false;
          this.rowEnd = q;
          this.pos = q;
          return true;
        }
        if (c === d) {
          p = q + 1;
          continue;
        }
        return this.lineEnd(q, final);
      }
      // Quoted field: up to a quote that is not doubled.
      const fieldStart = p + 1;
      let hi = 0;
      let flag = 0;
      let q = fieldStart;
      for (;;) {
        while (q < end && (c = buf[q]) !== QUOTE) {
          hi |= c;
          q++;
        }
        if (q >= end) {
          if (!final) return false;
          // The quote never closes: the row is malformed and ends at its first line end, so the
          // rows after it are still read and counted.
          this.problem = ROW_UNTERMINATED;
          let k = fieldStart;
          while (k < end && buf[k] !== LF && buf[k] !== CR) k++;
          this.pushField(fieldStart, k, flag | (hi & 0x80 ? F_HIGH : 0));
          if (k >= end) {
            this.rowEnd = end;
            this.pos = end;
            return true;
          }
          return this.lineEnd(k, final);
        }
        if (q + 1 >= end && !final) return false;
        if (q + 1 < end && buf[q + 1] === QUOTE) {
          flag = F_ESCAPED;
          q += 2;
          continue;
        }
        break;
      }
      this.pushField(fieldStart, q, flag | (hi & 0x80 ? F_HIGH : 0));
      p = q + 1;
      // Spaces between the closing quote and the delimiter or line end are allowed (and dropped).
      while (p < end && (c = buf[p]) !== d && (c === SPACE || c === TAB)) p++;
      if (p < end && (c = buf[p]) !== d && c !== LF && c !== CR) {
        // Text after the closing quote: the row is malformed; read on to the delimiter.
        this.problem = ROW_BAD_QUOTE;
        while (p < end && (c = buf[p]) !== d && c !== LF && c !== CR) p++;
      }
      if (p >= end) {
        if (!final) return false;
        this.rowEnd = end;
        this.pos = end;
        return true;
      }
      if (c === d) {
        p++;
        continue;
      }
      return this.lineEnd(p, final);
    }
  }

  /** Finish the row at the line end at `q` (LF, CR or CRLF). */
  private lineEnd(q: number, final: boolean): boolean {
    this.rowEnd = q;
    if (this.buf[q] === CR) {
      if (q + 1 >= this.len) {
        if (!final) return false;
        this.pos = q + 1;
        return true;
      }
      this.pos = this.buf[q + 1] === LF ? q + 2 : q + 1;
      return true;
    }
    this.pos = q + 1;
    return true;
  }

  /** A line split at runs of whitespace (after trimming); no quoting. */
  private nextWhitespace(final: boolean): boolean {
    const buf = this.buf;
    const end = this.len;
    const p = this.pos;
    this.nf = 0;
    this.problem = ROW_OK;
    this.strFields = null;
    this.rowStart = p;
    let q = p;
    let hi = 0;
    let c = 0;
    while (q < end) {
      c = buf[q];
      if (c === LF || c === CR) break;
      hi |= c;
      q++;
    }
    if (q >= end && !final) return false;
    if (hi & 0x80) {
      // Non-ASCII bytes: split the decoded line as a string, so Unicode spaces count as in JavaScript.
      const line = this.utf8(p, q).trim();
      this.strFields = line === "" ? [""] : line.split(/\s+/);
      this.nf = this.strFields.length;
    } else {
      let k = p;
      for (;;) {
        while (k < q && isAsciiSpace(buf[k])) k++;
        if (k >= q) break;
        const s = k;
        while (k < q && !isAsciiSpace(buf[k])) k++;
        this.pushField(s, k, 0);
      }
      if (this.nf === 0) this.pushField(p, p, 0);
    }
    if (q >= end) {
      this.rowEnd = q;
      this.pos = q;
      return true;
    }
    return this.lineEnd(q, final);
  }

  /** Is every field of the current row empty or whitespace (a blank line, `,,`, `"  "`)? */
  isBlank(): boolean {
    if (this.strFields !== null) return this.strFields.join("").trim() === "";
    const buf = this.buf;
    for (let j = 0; j < this.nf; j++) {
      const e = this.ends[j];
      for (let k = this.starts[j]; k < e; k++) {
        const c = buf[k];
        if (c >= 0x80) {
          if (this.text(j).trim() !== "") return false;
          break;
        }
        if (!(c === SPACE || (c >= 9 && c <= 13))) return false;
      }
    }
    return true;
  }

  /** The raw text of the current row (line end excluded). */
  rowText(): string {
    return this.utf8(this.rowStart, this.rowEnd);
  }

  /** The raw text of field `j` (quotes removed, `""` unescaped). */
  text(j: number): string {
    if (this.strFields !== null) return this.strFields[j];
    const f = this.flags[j];
    const t = f & F_HIGH ? this.utf8(this.starts[j], this.ends[j]) : this.latin1(this.starts[j], this.ends[j]);
    return f & F_ESCAPED ? t.replaceAll('""', '"') : t;
  }

  rangeStart = 0;
  rangeEnd = 0;
  get bytes(): Uint8Array {
    return this.buf;
  }

  byteRange(j: number, trim: boolean): boolean {
    if (this.strFields !== null || this.flags[j] !== 0) return false;
    const buf = this.buf;
    let s = this.starts[j];
    let e = this.ends[j];
    if (trim) {
      while (s < e && (buf[s] === SPACE || (buf[s] >= 9 && buf[s] <= 13))) s++;
      while (e > s && (buf[e - 1] === SPACE || (buf[e - 1] >= 9 && buf[e - 1] <= 13))) e--;
    }
    this.rangeStart = s;
    this.rangeEnd = e;
    return true;
  }

  itemCodes(j: number, sep: number, dict: KeyDictionary, sink: { addCode(code: number): void }): boolean {
    if (this.strFields !== null || this.flags[j] !== 0) return false;
    const buf = this.buf;
    const e = this.ends[j];
    let p = this.starts[j];
    for (;;) {
      let q = p;
      while (q < e && buf[q] !== sep) q++;
      let s = p;
      let t = q;
      while (s < t && (buf[s] === SPACE || (buf[s] >= 9 && buf[s] <= 13))) s++;
      while (t > s && (buf[t - 1] === SPACE || (buf[t - 1] >= 9 && buf[t - 1] <= 13))) t--;
      if (s < t) {
        let c = dict.find(buf, s, t);
        if (c < 0) c = dict.add(buf, s, t, null);
        sink.addCode(c);
      }
      if (q >= e) return true;
      p = q + 1;
    }
  }

  keyCode(j: number, trim: boolean, dict: KeyDictionary, add: boolean): number {
    if (this.strFields !== null || this.flags[j] !== 0) return -2;
    const buf = this.buf;
    let s = this.starts[j];
    let e = this.ends[j];
    if (trim) {
      while (s < e && (buf[s] === SPACE || (buf[s] >= 9 && buf[s] <= 13))) s++;
      while (e > s && (buf[e - 1] === SPACE || (buf[e - 1] >= 9 && buf[e - 1] <= 13))) e--;
    }
    if (s === e) return -1;
    const c = dict.find(buf, s, e);
    if (c >= 0) return c;
    return add ? dict.add(buf, s, e, null) : -3;
  }

  fastNumber(j: number, dotDecimal: boolean): number {
    if (this.strFields !== null) return NaN;
    const buf = this.buf;
    let p = this.starts[j];
    const e = this.ends[j];
    if (p >= e) return NaN;
    let c = buf[p];
    const neg = c === 45;
    if (neg || c === 43) p++;
    let m = 0;
    let digits = 0;
    let dot = -1;
    for (; p < e; p++) {
      c = buf[p];
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
      } else if (c === 46 && dot < 0 && dotDecimal) dot = digits;
      else return NaN;
    }
    // Up to 15 digits the mantissa is an exact integer and 10^k an exact double, so one division
    // gives the correctly rounded value, the same double as Number(text).
    if (digits === 0 || digits > 15) return NaN;
    const v = dot < 0 || dot === digits ? m : m / POW10[digits - dot];
    return neg ? -v : v;
  }

  fastDay(j: number, kind: number): number {
    if (this.strFields !== null) return NaN;
    const buf = this.buf;
    const s = this.starts[j];
    const n = this.ends[j] - s;
    let sep = 0;
    if (n === 10 && kind & 1) {
      if (buf[s + 4] !== 45 || buf[s + 7] !== 45) return NaN;
      sep = 1;
    } else if (!(n === 8 && kind & 2)) return NaN;
    const y = digit(buf[s]) * 1000 + digit(buf[s + 1]) * 100 + digit(buf[s + 2]) * 10 + digit(buf[s + 3]);
    const m = digit(buf[s + 4 + sep]) * 10 + digit(buf[s + 5 + sep]);
    const d = digit(buf[s + 6 + 2 * sep]) * 10 + digit(buf[s + 7 + 2 * sep]);
    // Years 0-99 and impossible days go to the general parser (which rejects them).
    if (y < 100 || m < 1 || m > 12 || d < 1) return NaN;
    const dim = m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DAYS_IN_MONTH[m];
    if (d > dim) return NaN;
    return daysFromCivil(y, m, d);
  }
}
