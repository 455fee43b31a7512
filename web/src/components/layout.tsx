// The signed-in frame: a sidebar (a top bar on narrow screens) with only the
// pages the caller's role may open, who is signed in, and sign-out.
import type { ReactElement } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { useMe, useSession } from '../lib/session';
import { visiblePages } from '../pages/page-list';
import { Icon } from './icons';

export function Layout(): ReactElement {
  const me = useMe();
  const { signOut } = useSession();
  const pages = visiblePages(me.permissions);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="enroll" size={22} />
          </span>
          <span className="brand-name">Attendance</span>
        </div>
        <nav aria-label="Pages">
          <ul className="nav-list">
            {pages.map((p) => (
              <li key={p.path}>
                <NavLink to={p.path} className={({ isActive }) => `nav-link ${isActive ? 'active' : ''}`}>
                  <Icon name={p.icon} />
                  <span>{p.title}</span>
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          <div className="who" title={`API key #${me.apiKeyId}`}>
            <span className="who-name">{me.name}</span>
            <span className="who-role">{me.role}</span>
          </div>
          <button type="button" className="nav-link sign-out" onClick={() => void signOut()}>
            <Icon name="signOut" />
            <span>Sign out</span>
          </button>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
