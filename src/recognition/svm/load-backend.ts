// Backends by name; libsvm-js (wasm) and ml-svm are loaded only when asked for.
import type { SvmBackend } from './backend.js';
import { createSmoBackend } from './backend-smo.js';
import type { SvmBackendName } from './types.js';

export async function loadBackend(name: SvmBackendName): Promise<SvmBackend> {
  switch (name) {
    case 'smo':
      return createSmoBackend();
    case 'libsvm':
      return (await import('./backend-libsvm.js')).createLibsvmBackend();
    case 'ml-svm':
      return (await import('./backend-ml-svm.js')).createMlSvmBackend();
  }
}
