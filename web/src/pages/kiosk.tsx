import type { ReactElement } from 'react';
import { PageHeader } from '../components/ui';

export function KioskPage(): ReactElement {
  return <PageHeader title="Kiosk" />;
}
