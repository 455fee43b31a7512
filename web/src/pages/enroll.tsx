import type { ReactElement } from 'react';
import { PageHeader } from '../components/ui';

export function EnrollPage(): ReactElement {
  return <PageHeader title="Enroll" />;
}
