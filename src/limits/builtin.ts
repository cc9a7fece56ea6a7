/**
 * The built-in limits, registered in inference order (the first that applies is chosen): one line
 * per limit. Import the registry through this file so that the built-ins are there.
 */
import { deepLinearLimit } from './deeplinear/register.js';
import { meanFieldLimit } from './meanfield/register.js';
import { ntkLimit } from './ntk/register.js';
import { registerLimit } from './registry.js';

registerLimit(deepLinearLimit);
registerLimit(meanFieldLimit);
registerLimit(ntkLimit);

export * from './registry.js';
