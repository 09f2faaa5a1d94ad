// What each keystroke does while a password is typed without echo (the terminal is in raw mode, so the
// program, not the terminal, handles Enter, Backspace, Ctrl-C…).
import { firstLine, NOTHING_TYPED, typed, type Typed } from '../../src/cli/password-input';

const after = (...chunks: string[]): Typed => chunks.reduce(typed, NOTHING_TYPED);

test.each([
  [['s3cret\r'], { text: 's3cret', done: true, cancelled: false }],
  [['s3', 'cr', 'et\n'], { text: 's3cret', done: true, cancelled: false }],
  [['s3cx\u007fret\r'], { text: 's3cret', done: true, cancelled: false }],
  [['s3cx\bret\r'], { text: 's3cret', done: true, cancelled: false }],
  [['wrong\u0015s3cret\r'], { text: 's3cret', done: true, cancelled: false }],
  [['pässwörd ✓\r'], { text: 'pässwörd ✓', done: true, cancelled: false }],
  [['\u007f\u007fab\r'], { text: 'ab', done: true, cancelled: false }],
  [['a\u001bb\r'], { text: 'ab', done: true, cancelled: false }], // other control characters ignored
  [['ab'], { text: 'ab', done: false, cancelled: false }],
  [['ab\u0003'], { text: '', done: true, cancelled: true }],
  [['\u0004'], { text: '', done: true, cancelled: true }],
  [['ab\u0004'], { text: 'ab', done: true, cancelled: false }],
  [['ab\rcd'], { text: 'ab', done: true, cancelled: false }],
])('%j', (chunks, expected) => {
  expect(after(...chunks)).toEqual(expected);
});

test('piped input: the first line, CRLF or LF, or all of it without a newline', () => {
  expect([firstLine('pw\nnext\n'), firstLine('pw\r\n'), firstLine('pw'), firstLine('')]).toEqual([
    'pw',
    'pw',
    'pw',
    '',
  ]);
});
