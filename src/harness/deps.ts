/**
 * What the harness uses from the other areas, in one place: the finite trainer, the limits,
 * data loading, spec parsing and the power-law fitter.
 */
export { runTrain } from '../run/train.js';
export { runLimit } from '../run/limit.js';
export { findLimit, getLimit, inferLimit, limitModules, type PreparedLimit } from '../limits/builtin.js';
export { loadData } from '../data/load.js';
export { parseSpec, readSpecFile } from '../spec/validate.js';
export { fitPowerLaw } from '../core/fit.js';
