import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { bootSession } from './kit/session.ts';
import { retryFailedStylesheets } from './kit/stylesheet-retry.ts';
import './app/app.css';

// The session cookie must exist before any cell sends a request: start asking right away.
bootSession();
// a chunk's stylesheet lost to a failover is asked for again, not thrown (issue 53)
retryFailedStylesheets();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
