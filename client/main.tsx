// Base styles first: each screen's own CSS (imported by its component) builds on them.
import './styles/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { prefetchSession } from './http.ts';

// On an applicant link, ask for the session while React starts (saves a render before the
// first request on the way to the camera and the first video frame).
const link = /^\/s\/([A-Za-z0-9_-]{20,200})$/.exec(window.location.pathname);
if (link?.[1]) prefetchSession(link[1]);

const root = document.getElementById('root');
if (!root) throw new Error('missing #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
