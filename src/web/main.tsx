import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { serverBackend, type Backend } from './backend.js';
import { embeddedBackend, readEmbedded, readSummary } from './embedded-backend.js';
import './styles.css';

/** The elements `report --html` embeds the data in (server/html-report.ts). */
const DATA_ELEMENT_ID = 'mfa-ready-data';
const SUMMARY_ELEMENT_ID = 'mfa-ready-summary';

async function start(root: HTMLElement): Promise<void> {
  const element = document.getElementById(DATA_ELEMENT_ID);
  const summaryElement = document.getElementById(SUMMARY_ELEMENT_ID);
  let backend: Backend = serverBackend;
  let title = 'dashboard';
  if (element !== null && summaryElement !== null) {
    const summary = await readSummary(summaryElement);
    backend = embeddedBackend(summary, () => readEmbedded(element));
    title = `report${summary.redacted ? ' (names redacted)' : ''} — ${summary.overview.tenant.displayName ?? ''}`;
  }
  createRoot(root).render(
    <StrictMode>
      <App backend={backend} title={title} />
    </StrictMode>,
  );
  performance.mark('mfa-ready:started');
}

const root = document.getElementById('root');
if (root !== null) {
  start(root).catch((err: unknown) => {
    root.textContent = `mfa-ready could not open this report: ${err instanceof Error ? err.message : String(err)}`;
  });
}
