// What one employee's shortlist machine is fitted on when they are enrolled or re-enrolled
// after the last full training: their templates, the templates of the identities nearest to
// their mean face in the gallery (found by the gallery search, off the event loop) and a few
// random templates of other people. The fit itself runs in the training worker.
import type { EmployeeId } from '../domain/ids.js';
import { meanDirection, type MachineInput } from '../recognition/shortlist/incremental.js';
import type { ShortlistModel } from '../recognition/shortlist/shortlist-model.js';
import { createRng } from '../math/seeded-random.js';
import type { Gallery } from '../vision/gallery.js';

export async function machineInputFor(gallery: Gallery, id: EmployeeId, model: Pick<ShortlistModel, 'local'>): Promise<MachineInput | undefined> {
  const own = gallery.rowsOf(id);
  const dim = gallery.dim;
  if (own.length === 0) {
    return undefined;
  }
  const nearest = (await gallery.bestPerEmployee(meanDirection(own, dim), model.local.neighbours + 1)).filter((m) => m.employeeId !== id);
  const taken = new Set<number>([id, ...nearest.map((m) => m.employeeId)]);
  const rng = createRng(id);
  const others: Float32Array[] = [];
  for (let tries = 0; others.length < model.local.randomNegatives && tries < model.local.randomNegatives * 4 && gallery.size > 0; tries++) {
    const row = Math.floor(rng() * gallery.size);
    const match = gallery.employeeAt(row);
    if (match !== undefined && !taken.has(match)) {
      others.push(gallery.template(row));
    }
  }
  const packed = new Float32Array(others.length * dim);
  others.forEach((r, i) => packed.set(r, i * dim));
  return {
    dim,
    own,
    neighbours: nearest.slice(0, model.local.neighbours).map((m) => ({ employeeId: m.employeeId, rows: gallery.rowsOf(m.employeeId) })),
    others: packed,
    seed: id,
  };
}
