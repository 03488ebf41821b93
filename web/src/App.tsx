import { type ReactNode, useEffect, useState } from 'react';
import type { Role } from './api/client';
import { useAuth } from './auth';
import { t } from './i18n/en';
import { Link, match, navigate, usePath } from './router';
import { PersonDetail } from './screens/admin/PersonDetail';
import { UserDetail } from './screens/admin/UserDetail';
import { ClassDetail, Classes } from './screens/Classes';
import { ClassSummary } from './screens/ClassSummary';
import { Dashboard } from './screens/Dashboard';
import { Family } from './screens/Family';
import { FeeDesk } from './screens/FeeDesk';
import { Gradebook } from './screens/Gradebook';
import { Imports } from './screens/Imports';
import { MyFees } from './screens/MyFees';
import { NotificationsBell } from './screens/Notifications';
import { NotificationsPage } from './screens/NotificationsPage';
import { Organization } from './screens/Organization';
import * as office from './screens/office';
import { Personnel } from './screens/Personnel';
import { Account } from './screens/roles/Account';
import { ExamMarks } from './screens/roles/ExamMarks';
import { Hostels } from './screens/roles/Hostels';
import { LibraryDesk } from './screens/roles/LibraryDesk';
import { MyDocuments } from './screens/roles/MyDocuments';
import { SignIn } from './screens/SignIn';
import { StudentHome } from './screens/StudentHome';
import { StudentProfile, Students } from './screens/Students';
import { TakeAttendance } from './screens/TakeAttendance';
import { Teach } from './screens/Teach';
import { Loading } from './ui';

const MANAGERS: Role[] = ['admin', 'staff', 'principal'];
const DESK: Role[] = ['admin', 'staff'];
const EVERYONE: Role[] = ['admin', 'staff', 'principal', 'faculty', 'student', 'parent', 'auditor'];

interface NavItem {
  to: string;
  label: string;
  roles: Role[];
}

/** What each role may open: the UI shows only these (the API still enforces every permission). */
const NAV: NavItem[] = [
  { to: '/dashboard', label: t.nav.dashboard, roles: [...MANAGERS, 'auditor'] },
  { to: '/organization', label: t.nav.org, roles: ['admin'] },
  { to: '/students', label: t.nav.students, roles: MANAGERS },
  { to: '/classes', label: t.nav.classes, roles: MANAGERS },
  { to: '/fee-desk', label: t.nav.desk, roles: DESK },
  { to: '/personnel', label: t.nav.personnel, roles: MANAGERS },
  { to: '/imports', label: t.nav.imports, roles: MANAGERS },
  { to: '/fees/structures', label: t.office.nav.feeStructures, roles: DESK },
  { to: '/fees/concessions', label: t.office.nav.concessions, roles: ['admin'] },
  { to: '/fees/dues', label: t.office.nav.dues, roles: DESK },
  { to: '/reports', label: t.office.nav.reports, roles: [...MANAGERS, 'auditor'] },
  { to: '/attendance/compliance', label: t.office.nav.compliance, roles: MANAGERS },
  { to: '/exams', label: t.office.nav.exams, roles: MANAGERS },
  { to: '/grading-scales', label: t.office.nav.scales, roles: ['admin', 'principal'] },
  { to: '/teach', label: t.nav.teach, roles: ['faculty'] },
  { to: '/teach/exams', label: t.roles.nav.exams, roles: ['faculty'] },
  { to: '/library-desk', label: t.roles.nav.library, roles: DESK },
  { to: '/hostels', label: t.roles.nav.hostels, roles: DESK },
  { to: '/me', label: t.nav.myHome, roles: ['student'] },
  { to: '/me/fees', label: t.nav.myFees, roles: ['student'] },
  { to: '/family', label: t.nav.family, roles: ['parent'] },
  { to: '/notifications', label: t.nav.notifications, roles: EVERYONE },
  { to: '/documents', label: t.roles.nav.documents, roles: EVERYONE },
  { to: '/account', label: t.roles.nav.account, roles: EVERYONE },
];

interface RouteDef {
  path: string;
  roles: Role[];
  render: (p: Record<string, string>) => ReactNode;
}

const ROUTES: RouteDef[] = [
  { path: '/dashboard', roles: [...MANAGERS, 'auditor'], render: () => <Dashboard /> },
  { path: '/organization', roles: ['admin'], render: () => <Organization /> },
  { path: '/students', roles: MANAGERS, render: () => <Students /> },
  { path: '/students/:id', roles: MANAGERS, render: (p) => <StudentProfile id={p.id} /> },
  { path: '/classes', roles: MANAGERS, render: () => <Classes /> },
  { path: '/classes/:id', roles: MANAGERS, render: (p) => <ClassDetail id={p.id} /> },
  { path: '/fee-desk', roles: DESK, render: () => <FeeDesk /> },
  { path: '/personnel', roles: MANAGERS, render: () => <Personnel /> },
  { path: '/personnel/:id', roles: MANAGERS, render: (p) => <PersonDetail id={p.id} /> },
  { path: '/users/:id', roles: ['admin'], render: (p) => <UserDetail id={p.id} /> },
  { path: '/imports', roles: MANAGERS, render: () => <Imports /> },
  { path: '/fees/structures', roles: DESK, render: () => <office.FeeStructures /> },
  { path: '/fees/concessions', roles: ['admin'], render: () => <office.Concessions /> },
  { path: '/fees/dues', roles: DESK, render: () => <office.Dues /> },
  { path: '/reports', roles: [...MANAGERS, 'auditor'], render: () => <office.Reports /> },
  { path: '/attendance/compliance', roles: MANAGERS, render: () => <office.Compliance /> },
  {
    path: '/dashboard/org/:id',
    roles: [...MANAGERS, 'auditor'],
    render: (p) => <office.District id={p.id} />,
  },
  { path: '/exams', roles: MANAGERS, render: () => <office.Exams /> },
  { path: '/grading-scales', roles: ['admin', 'principal'], render: () => <office.GradingScales /> },
  { path: '/me', roles: ['student'], render: () => <StudentHome /> },
  { path: '/notifications', roles: EVERYONE, render: () => <NotificationsPage /> },
  { path: '/teach', roles: ['faculty'], render: () => <Teach /> },
  { path: '/teach/exams', roles: ['faculty'], render: () => <ExamMarks /> },
  { path: '/library-desk', roles: DESK, render: () => <LibraryDesk /> },
  { path: '/hostels', roles: DESK, render: () => <Hostels /> },
  { path: '/documents', roles: EVERYONE, render: () => <MyDocuments /> },
  { path: '/account', roles: EVERYONE, render: () => <Account /> },
  {
    path: '/teach/:id/attendance',
    roles: ['faculty', ...MANAGERS],
    render: (p) => <TakeAttendance classId={p.id} />,
  },
  {
    path: '/teach/:id/gradebook',
    roles: ['faculty', ...MANAGERS],
    render: (p) => <Gradebook classId={p.id} />,
  },
  {
    path: '/teach/:id/summary',
    roles: ['faculty', ...MANAGERS],
    render: (p) => <ClassSummary classId={p.id} />,
  },
  { path: '/me/fees', roles: ['student'], render: () => <MyFees /> },
  { path: '/family', roles: ['parent'], render: () => <Family /> },
];

export function App() {
  const { user, ready, signOut, has } = useAuth();
  const path = usePath();
  const [menuOpen, setMenuOpen] = useState(false);
  const nav = NAV.filter((n) => has(...n.roles));

  // The home of each role: the first screen its navigation offers.
  const home = nav[0]?.to;
  useEffect(() => {
    if (user && (path === '/' || path === '/sign-in') && home) navigate(home);
  }, [user, path, home]);
  // Focus the page heading after a navigation (screen readers announce the new screen).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation (path)
  useEffect(() => {
    setMenuOpen(false);
    document.getElementById('page-title')?.focus();
  }, [path]);

  if (!ready) return <Loading />;
  if (!user) return <SignIn />;

  let content: ReactNode = <p className="muted">{t.common.none}</p>;
  for (const r of ROUTES) {
    const m = match(r.path, path);
    if (m && has(...r.roles)) {
      content = r.render(m);
      break;
    }
  }

  return (
    <>
      <a className="skip" href="#main">
        {t.app.skip}
      </a>
      <header className="topbar">
        <span className="brand">{t.app.name}</span>
        <button
          type="button"
          className="btn btn-ghost menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t.app.menu}
        </button>
        <nav id="main-nav" aria-label={t.landmarks.mainNav} className={menuOpen ? 'open' : ''}>
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <Link to={n.to}>{n.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <NotificationsBell />
          <span className="muted">{user.full_name}</span>
          <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>
            {t.app.signOut}
          </button>
        </div>
      </header>
      <main id="main">{content}</main>
    </>
  );
}
