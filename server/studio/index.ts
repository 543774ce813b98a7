/** Script studio: compliance lint, versions, diff, simulator and the /api/studio routes. */
export { ScriptStudio, StudioError } from './service.ts';
export type { LintReport, ScriptStudioOptions, ScriptSummary, StudioStaff, StudioStore } from './service.ts';
export { registerStudioRoutes, MAX_SCRIPT_BYTES } from './routes.ts';
export { lintEnvironmentFrom, lintEnvironmentFromDirs, lintScript, formatLintIssue, RULES } from './lint/index.ts';
export type { LintEnvironment, LintIssue } from './lint/index.ts';
export { diffLines, unifiedDiff } from './diff.ts';
export { simulate, ZSimulationRequest } from './simulate.ts';
export type { SimulationAction, SimulationResult } from './simulate.ts';
