// Perl's scalar localtime(), the timestamp of ldirectord's log lines: `Sat Nov 21 13:37:18 2026` (the day of
// the month is padded with a space to two columns).

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => String(n).padStart(2, '0');

let lastSecond = NaN;
let lastText = '';

/** Local time of `ms` in ctime form (the text of the last second asked for is kept: a burst of lines asks again). */
export function ctime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second === lastSecond) return lastText;
  lastText = format(new Date(second * 1000));
  lastSecond = second;
  return lastText;
}

function format(d: Date): string {
  const day = String(d.getDate()).padStart(2, ' ');
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${day} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
}
