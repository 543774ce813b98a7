import { lazy, Suspense, type ReactNode } from 'react';
import { LandingPage } from './applicant/LandingPage.tsx';
import { SessionPage } from './applicant/SessionPage.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { matchRoute, usePathname } from './router.tsx';

// Staff areas load on demand: an applicant on a phone downloads only the applicant's pages
// (the first video frame waits for this bundle), never the console, admin pages or editor.
const StudioPage = lazy(() => import('./studio/StudioPage.tsx'));
const StaffHome = lazy(() => import('./staff/StaffHome.tsx').then((m) => ({ default: m.StaffHome })));
const AdminPage = lazy(() => import('./staff/AdminPage.tsx').then((m) => ({ default: m.AdminPage })));
const ReviewQueuePage = lazy(() => import('./review/ReviewQueuePage.tsx').then((m) => ({ default: m.ReviewQueuePage })));
const ReviewSessionPage = lazy(() => import('./review/ReviewSessionPage.tsx').then((m) => ({ default: m.ReviewSessionPage })));

export function App() {
  const route = matchRoute(usePathname());
  switch (route.name) {
    case 'landing':
      return <LandingPage />;
    case 'session':
      // Keyed by token: another session link starts from scratch.
      return <SessionPage key={route.token} token={route.token} />;
    case 'staff':
      return <Staff><StaffHome /></Staff>;
    case 'staff-admin':
      return <Staff><AdminPage /></Staff>;
    case 'studio':
      return <Staff><StudioPage /></Staff>;
    case 'review':
      return <Staff><ReviewQueuePage /></Staff>;
    case 'review-session':
      return <Staff><ReviewSessionPage key={route.sessionId} sessionId={route.sessionId} /></Staff>;
    case 'not-found':
      return <NotFoundPage reason="page" />;
  }
}

function Staff({ children }: { children: ReactNode }) {
  return <Suspense fallback={null}>{children}</Suspense>;
}
