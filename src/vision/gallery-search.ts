// The search side of a template gallery, as the recognizer sees it. Today an
// in-process matrix (gallery.ts); an out-of-process vector index can implement
// the same interface later. All scores are cosine similarities of
// L2-normalised vectors, in -1..1.
import type { EmployeeId } from '../domain/ids.js';

/** One template (gallery row) and its score against a query. */
export interface TemplateMatch {
  row: number;
  employeeId: EmployeeId;
  score: number;
}

/** The best template of one employee against a query. */
export interface EmployeeMatch {
  employeeId: EmployeeId;
  score: number;
  /** Row of the best template of this employee. */
  row: number;
}

export interface GallerySearch {
  /** Embedding length every template and query must have. */
  readonly dim: number;
  /** Number of templates. */
  readonly size: number;
  /** Number of distinct employees with at least one template. */
  readonly employeeCount: number;
  /** Best template, or undefined when the gallery is empty. */
  top1(query: Float32Array): Promise<TemplateMatch | undefined>;
  /** The k best templates, best first. */
  topK(query: Float32Array, k: number): Promise<TemplateMatch[]>;
  /** The k best employees by their best template, best first (for best vs second-best person). */
  bestPerEmployee(query: Float32Array, k: number): Promise<EmployeeMatch[]>;
  /** Batch forms: one result list per query, in query order (all faces of a frame in one pass). */
  topKBatch(queries: readonly Float32Array[], k: number): Promise<TemplateMatch[][]>;
  bestPerEmployeeBatch(queries: readonly Float32Array[], k: number): Promise<EmployeeMatch[][]>;
}
