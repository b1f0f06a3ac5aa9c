import { css } from 'lit';

/**
 * Shared look: system fonts, a visible focus ring, and state colours whose text meets WCAG AA
 * contrast on their background (the state is always written out too, never colour alone).
 */
export const baseStyles = css`
  :host {
    display: block;
    color: #1b1b1f;
    font:
      15px/1.45 system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      sans-serif;
  }
  *:focus-visible {
    outline: 3px solid #0b57d0;
    outline-offset: 2px;
  }
  a {
    color: #0b57d0;
  }
  h2 {
    font-size: 1.35rem;
    margin: 0 0 0.75rem;
  }
  h3 {
    font-size: 1.1rem;
    margin: 1.5rem 0 0.5rem;
  }
  h2:focus {
    outline: none;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.4rem 0.6rem;
    border-bottom: 1px solid #d8d8de;
    vertical-align: top;
  }
  thead th {
    font-weight: 600;
    background: #f3f3f6;
  }
  tbody th {
    font-weight: 600;
  }
  button {
    font: inherit;
    padding: 0.25rem 0.7rem;
    border: 1px solid #5c5c66;
    border-radius: 4px;
    background: #fff;
    color: #1b1b1f;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: #ececf2;
  }
  button:disabled {
    color: #6b6b75;
    border-color: #b0b0b8;
    cursor: not-allowed;
  }
  button.primary {
    background: #0b57d0;
    border-color: #0b57d0;
    color: #fff;
  }
  button.primary:hover:not(:disabled) {
    background: #0842a0;
  }
  pre {
    background: #f6f6f9;
    border: 1px solid #d8d8de;
    border-radius: 4px;
    padding: 0.6rem;
    overflow: auto;
    max-height: 22rem;
    font:
      13px/1.4 ui-monospace,
      'SFMono-Regular',
      Menlo,
      Consolas,
      monospace;
    white-space: pre-wrap;
    word-break: break-word;
  }
  code {
    font:
      13px ui-monospace,
      'SFMono-Regular',
      Menlo,
      Consolas,
      monospace;
  }
  .muted {
    color: #55555f;
  }
  .badge {
    display: inline-block;
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    font-size: 0.85rem;
    font-weight: 600;
    white-space: nowrap;
    border: 1px solid currentColor;
  }
  .state-running,
  .health-healthy {
    background: #e3f3e6;
    color: #0a5a1c;
  }
  .state-starting,
  .state-stopping,
  .state-retrying,
  .state-waiting,
  .health-degraded,
  .health-checking {
    background: #fff3cd;
    color: #664b00;
  }
  .state-failed,
  .state-unreachable,
  .state-auth_required,
  .health-unhealthy,
  .blocked {
    background: #fde8ea;
    color: #a1161f;
  }
  .state-stopped,
  .state-unknown,
  .health-unknown {
    background: #ececf0;
    color: #36363f;
  }
  .notice {
    padding: 0.5rem 0.75rem;
    border-radius: 4px;
    border: 1px solid;
    margin: 0.5rem 0;
  }
  .notice.ok {
    background: #e3f3e6;
    color: #0a5a1c;
  }
  .notice.error {
    background: #fde8ea;
    color: #a1161f;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
