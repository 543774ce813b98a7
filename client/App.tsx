import { lazy, Suspense } from 'react';
import { LandingPage } from './applicant/LandingPage.tsx';
import { SessionPage } from './applicant/SessionPage.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { StaffHome } from './staff/StaffHome.tsx';
import { AdminPage } from './staff/AdminPage.tsx';
import { ReviewQueuePage } from './review/ReviewQueuePage.tsx';
import { ReviewSessionPage } from './review/ReviewSessionPage.tsx';
import { matchRoute, usePathname } from './router.tsx';

// Staff areas load on demand: applicants never download the script editor.
const StudioPage = lazy(() => import('./studio/StudioPage.tsx'));

export function App() {
  const route = matchRoute(usePathname());
  switch (route.name) {
    case 'landing':
      return <LandingPage />;
    case 'session':
      // Keyed by token: another session link starts from scratch.
      return <SessionPage key={route.token} token={route.token} />;
    case 'staff':
      return <StaffHome />;
    case 'staff-admin':
      return <AdminPage />;
    case 'studio':
      return (
        <Suspense fallback={null}>
          <StudioPage />
        </Suspense>
      );
    case 'review':
      return <ReviewQueuePage />;
    case 'review-session':
      return <ReviewSessionPage key={route.sessionId} sessionId={route.sessionId} />;
    case 'not-found':
      return <NotFoundPage reason="page" />;
  }
}
