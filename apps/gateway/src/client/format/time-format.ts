/** `3s`, `4m05s`, `2h07m`, `3d04h`: the two largest units, enough to read an uptime at a glance. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  if (seconds < 60) return `${String(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${String(minutes)}m${two(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${String(hours)}h${two(minutes % 60)}m`;
  return `${String(Math.floor(hours / 24))}d${two(hours % 24)}h`;
}

/** Local wall-clock time with milliseconds, `23:12:01.123`. */
export function formatClockTime(timestamp: number): string {
  const date = new Date(timestamp);
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.` +
    String(date.getMilliseconds()).padStart(3, '0')
  );
}
