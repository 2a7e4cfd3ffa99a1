import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { serverBackend, type Backend } from './backend.js';
import { embeddedBackend, readEmbedded } from './embedded-backend.js';
import './styles.css';

/** The element `report --html` embeds the data in (server/html-report.ts DATA_ELEMENT_ID). */
const DATA_ELEMENT_ID = 'mfa-ready-data';

async function start(root: HTMLElement): Promise<void> {
  const element = document.getElementById(DATA_ELEMENT_ID);
  let backend: Backend = serverBackend;
  let title = 'dashboard';
  if (element !== null) {
    const embedded = await readEmbedded(element);
    backend = embeddedBackend(embedded);
    title = `report${embedded.redacted ? ' (names redacted)' : ''} — ${embedded.assessment.tenant.displayName ?? ''}`;
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
