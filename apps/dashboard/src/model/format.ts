/** How durations and times read on the dashboard. */

/** `4 s`, `3 min 12 s`, `2 h 5 min`, `3 d 4 h`: two units at most, never negative. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${String(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${String(minutes)} min ${String(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${String(hours)} h ${String(minutes % 60)} min`;
  const days = Math.floor(hours / 24);
  return `${String(days)} d ${String(hours % 24)} h`;
}

/** Local wall-clock time with seconds, e.g. `14:03:27`. */
export function formatClock(timestamp: number): string {
  const date = new Date(timestamp);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `auth_required` → `auth required`: state names as words. */
export function stateLabel(state: string): string {
  return state.replace(/_/g, ' ');
}
