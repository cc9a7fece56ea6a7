/**
 * Experiment kinds besides the built-in `compare` (src/harness/kinds.ts): each area registers its
 * kinds with `registerExperimentKind`; list the registrations here, so that `widelimit experiment`
 * knows them. See experiments/README.md, "Writing an experiment kind".
 */
import { registerIpKinds } from './ip/index.js';
import { registerKumarHauptKinds } from './kumarHaupt/index.js';
import { registerHajjarChizatKinds } from './hajjarChizat/index.js';
import { registerRegimeKinds } from './index.js';
import { registerMeanFieldKinds } from './meanfield/experiments.js';
import { registerDeepLinearKinds } from './deeplinear/experiments.js';
import { registerProportionalKinds } from './proportional/kind.js';
import { registerFiniteWidthKinds } from './finiteWidth/kind.js';
import { registerExperimentKind } from '../harness/kinds.js';
import { geigerConvKind } from './geigerConv/kind.js';
import { registerThetaMultilayerKinds } from './thetaMultilayer/kind.js';

registerIpKinds(); // ip-depth (Hajjar, Chizat, Giraud 2021)
registerKumarHauptKinds(); // kumar-haupt, kumar-haupt-theorem (Kumar, Haupt 2024)
registerHajjarChizatKinds(); // hajjar-chizat-symmetries, hajjar-chizat-subspace (Hajjar, Chizat 2023)
registerRegimeKinds(); // geiger-alpha-scan (Geiger et al. 2020), theta-phase-diagram (Luo et al. 2021; Li, Luo, Zhou 2024)
registerMeanFieldKinds(); // meanfield-odd-target (Hajjar, Chizat 2023)
registerDeepLinearKinds(); // deeplinear-check, deeplinear-transfer (Bordelon, Pehlevan 2022, 2025)
registerProportionalKinds(); // proportional-convergence, proportional-sgd (Bordelon, Pehlevan 2025, proportional limit)
registerFiniteWidthKinds(); // ntk-finite-width-prefactor (finite-width corrections predicted: issue 18; Dyer, Gur-Ari 2019; Hanin, Nica 2019)
registerExperimentKind(geigerConvKind); // geiger-conv (Geiger et al. 2020, finding (ii) on a convolutional network)
registerThetaMultilayerKinds(); // theta-multilayer (Li, Luo, Zhou 2024, multi-layer θ-lazy)
