// Imports every type file (each registers its types on the builder) and builds
// the schema. Adding a domain = one import line here.
import { builder } from './builder.js';
import './errors.js';
import './employee.js';
import './api-key.js';
import './system.js';
import './attendance.js';
import './attendance-corrections.js';
import './recognition.js';
import './training.js';
import './camera.js';
import './camera-live.js';
import './enrollment.js';
import './enrollment-approval.js';
import './presentation-attack.js';
import './liveness-challenge.js';
import './template-import.js';

export const schema = builder.toSchema({ sortSchema: true });
