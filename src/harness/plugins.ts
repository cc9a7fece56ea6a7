/**
 * Experiment kinds besides the built-in `compare` (src/harness/kinds.ts): each area registers its
 * kinds with `registerExperimentKind`; list the registrations here, so that `widelimit experiment`
 * knows them. See experiments/README.md, "Writing an experiment kind".
 */
import { registerIpKinds } from '../regimes/ip/index.js';

registerIpKinds(); // ip-depth (Hajjar, Chizat, Giraud 2021)
