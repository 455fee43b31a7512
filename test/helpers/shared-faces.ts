// Where the shared test photos and video live: ../shared/faces beside the
// checkout (never copied into the repo). Ends with a slash.
import { fileURLToPath } from 'node:url';

export const FACES_DIR = fileURLToPath(new URL('../../../shared/faces/', import.meta.url));
