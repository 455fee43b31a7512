// GraphQL resolvers of health, systemStatus and systemInfo (the same data as
// /api/v1/system/*). Shapes live in src/schema/system.ts.
import type { RequestContext } from '../context.js';
import type { Health, SystemInfo, SystemStatus } from '../services/system-service.js';

export const systemResolvers = {
  health: (ctx: RequestContext): Promise<Health> => ctx.services.system.health(),
  systemStatus: (ctx: RequestContext): Promise<SystemStatus> => ctx.services.system.status(),
  systemInfo: (ctx: RequestContext): Promise<SystemInfo> => ctx.services.system.info(),
};
