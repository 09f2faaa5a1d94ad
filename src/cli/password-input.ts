// Reading a password for `ldirectord passwd`: never from argv. On a terminal it is typed without echo (the
// terminal in raw mode; `typed` below decides what each keystroke does) and asked twice; otherwise it is the
// first line of standard input, so `printf '%s\n' "$PW" | ldirectord passwd alice` works in scripts.

/** What has been typed so far, and whether the line is finished (`done`) or abandoned (`cancelled`). */
export interface Typed {
  readonly text: string;
  readonly done: boolean;
  readonly cancelled: boolean;
}

export const NOTHING_TYPED: Typed = { text: '', done: false, cancelled: false };

/**
 * Pure: the state after `chunk` arrives from a raw-mode terminal. Enter (CR or LF) ends the line; Ctrl-C
 * cancels, as does Ctrl-D on an empty line; Backspace/DEL removes the last character; Ctrl-U clears the line;
 * other control characters are ignored. Input after the end of the line is ignored.
 */
export function typed(state: Typed, chunk: string): Typed {
  let { text } = state;
  for (const c of chunk) {
    if (c === '\r' || c === '\n') return { text, done: true, cancelled: false };
    if (c === '\u0003' || (c === '\u0004' && text === '')) return { text: '', done: true, cancelled: true };
    if (c === '\u0004') return { text, done: true, cancelled: false };
    if (c === '\u007f' || c === '\b') text = [...text].slice(0, -1).join('');
    else if (c === '\u0015') text = '';
    else if (c >= ' ') text += c;
  }
  return { text, done: false, cancelled: false };
}

/** The first line of a non-terminal input, at most 64 KiB read. */
export function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? '';
}

const MAX_PIPED = 64 * 1024;

export interface TerminalIn extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
}

/** One line typed without echo on the terminal `input` (raw mode for the duration; restored on every path). */
export function askHidden(input: TerminalIn, prompt: string, write: (s: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let state = NOTHING_TYPED;
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    write(prompt);
    const onData = (chunk: string | Buffer): void => {
      state = typed(state, chunk.toString());
      if (!state.done) return;
      finish();
      write('\n');
      if (state.cancelled) reject(new Error('cancelled'));
      else resolve(state.text);
    };
    const onEnd = (): void => {
      finish();
      reject(new Error('the terminal closed before the password was entered'));
    };
    const finish = (): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.setRawMode?.(false);
      input.pause();
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}

/** The password for `passwd`: asked twice without echo on a terminal, else the first line of `input`. */
export async function readPassword(input: TerminalIn, write: (s: string) => void): Promise<string> {
  if (input.isTTY === true) {
    const first = await askHidden(input, 'Password: ', write);
    const again = await askHidden(input, 'Retype password: ', write);
    if (first !== again) throw new Error('the passwords differ');
    return first;
  }
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.includes('\n') || text.length > MAX_PIPED) break;
  }
  return firstLine(text);
}
