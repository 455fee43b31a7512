import type { ReactElement } from 'react';
import { PageHeader } from '../components/ui';

export function CamerasPage(): ReactElement {
  return <PageHeader title="Cameras" />;
}
