import type { ReactElement } from 'react';
import { PageHeader } from '../components/ui';

export function SettingsPage(): ReactElement {
  return <PageHeader title="Settings" />;
}
