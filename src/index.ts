/**
 * widelimit's public API, in labelled groups. The package's `exports` points only here.
 */

// ── Core numerics: shapes, products, linear algebra, quadrature, ODEs, fits, randomness ──
export * from './core/errors.js';
export * from './core/matrix.js';
export { gemm, matmul } from './core/gemm.js';
export { syrk, mirrorTriangle, type SyrkOptions } from './core/syrk.js';
export * from './core/rng.js';
export * from './core/special.js';
export * from './core/cholesky.js';
export * from './core/lu.js';
export * from './core/eigh.js';
export * from './core/gaussHermite.js';
export {
  solve, odex, Euler, Rk4, Dopri5, type Solver, type RungeKutta, type Odex, type SaveAt, type SolveOptions, type SolveStats, type Solution,
} from './core/ode/solve.js';
export { EULER, RK4, DOPRI5, type ButcherTableau } from './core/ode/tableau.js';
export { rkStep, rkAdvance, createRkWork, type RkWork, type OdeRhs } from './core/ode/rkStep.js';
export { IController, PIController, rmsNorm, hairerInitialStep, type StepController, type ErrorNorm, type IControllerOptions, type PIControllerOptions } from './core/ode/adaptive.js';
export { ConstantStep, StateStep, constantStepCounts } from './core/ode/fixedStep.js';
export * from './core/fit.js';
export * from './core/stats.js';
export { writeFileAtomic, writeJsonAtomic } from './core/atomic.js';

// ── Specs and data ──
export type * from './spec/types.js';
export { parseSpec, readSpecFile, applyOverrides } from './spec/validate.js';
export { specSchema } from './spec/schema.js';
export {
  inferLimit, registerLimit, getLimit, findLimit, limitNames, type LimitChoice, type Limit, type LimitApplies, type PreparedLimit,
  type LimitExpectation, type InitialOutputs, type LimitRunOptions,
} from './limits/builtin.js';
export type { Dataset } from './data/dataset.js';
export { loadData } from './data/load.js';
export { gaussianData } from './data/gaussian.js';
export { mnistData, MNIST_DIM } from './data/mnist.js';
export { loadFileData, readInputMatrix } from './data/file.js';

// ── Finite-width networks: one architecture description, every parameterization ──
export * from './finite/activation.js';
export * from './finite/architecture.js';
export * from './finite/parameterization.js';
export * from './finite/params.js';
// The layer algebra: one description of a network, read by the trainer, the kernel maps and the deep-linear views.
export * from './finite/layers/layer.js';
export { buildNetwork, toArchitecture, fromArchitecture } from './finite/layers/build.js';
export { kernelStep, kernelMap, networkKernels, denseKernelScales, type KernelScales, type DualMap, type PairKernel } from './finite/layers/kernelMap.js';
export { referenceForward, referenceVjp, referenceOutput, referenceNtk } from './finite/layers/reference.js';
export { deepLinearNetwork, linearNetSpecOf, deepLinearView, type DeepLinearView } from './finite/layers/linear.js';
export { presetNames, findPreset, presetNamed, type PresetDefinition } from './finite/layers/presets/index.js';
export { forwardRaw, forwardCached, createWorkspace, type ForwardWorkspace } from './finite/fused/forward.js';
export { backward } from './finite/fused/backward.js';
export { makeLoss, lossAndGradient, type Loss } from './finite/loss.js';
export { createNetwork, type Network } from './finite/network.js';
export { empiricalNtk } from './finite/fused/ntk.js';
export { trainNetwork, recordSteps, type TrainOptions, type TrainOutput } from './finite/train.js';
export { weightMotion, kernelMotion } from './finite/observables.js';
export { toInitFile, paramsFromInitFile, architectureFromInit, INIT_FORMAT, type InitFile } from './finite/initFile.js';

// ── Runs: the result files of `train` and `limit` ──
export type { RunResult, Outputs } from './spec/result.js';
export { runTrain } from './run/train.js';
export { runLimit } from './run/limit.js';
export { VERSION } from './spec/version.js';

// ── NTK limit: kernels, frozen-kernel dynamics, ensembles ──
export { analyticKernels, kernelOptionsFromArchitecture, type AnalyticKernels, type KernelOptions } from './limits/ntk/kernels.js';
export { dualActivation } from './limits/ntk/dual.js';
export type { DualActivation } from './limits/ntk/dualTypes.js';
export { frozenMse } from './limits/ntk/mse.js';
export { frozenGeneral } from './limits/ntk/frozenLoss.js';
export type { FrozenProblem, FrozenSolution } from './limits/ntk/frozenTypes.js';
export { kernelRegression } from './limits/ntk/kernelRegression.js';
export { ensemblePrediction } from './limits/ntk/ensemble.js';
export { gdStabilityBound } from './limits/ntk/schedule.js';
export { prepareNtkLimit, runNtkLimit, type NtkLimitModel } from './limits/ntk/limit.js';

// ── Mean-field limit of two-layer networks ──
export { sampleParticles, evaluateParticles, type MeanFieldModel, type ParticleInit } from './limits/meanfield/particles.js';
export { createPopulationField } from './limits/meanfield/population.js';
export { createSampleField } from './limits/meanfield/empirical.js';
export { runParticleFlow } from './limits/meanfield/flow.js';
export { solveOddReduced, oddReducedLimit } from './limits/meanfield/oddTarget.js';
export { subspaceCosines } from './limits/meanfield/angles.js';
export { meanFieldReference } from './limits/meanfield/reference.js';
export { trainerMap, paramsToParticles, particlesToParams } from './limits/meanfield/trainerMap.js';
export { runMeanFieldLimit } from './limits/meanfield/run.js';

// ── Deep-linear limits: Saxe et al. mode dynamics, Bordelon–Pehlevan recursion ──
export { runDeepLinearLimit, deepLinearGamma0, type DeepLinearRunOptions } from './limits/deeplinear/run.js';
export { solveDeepLinear } from './limits/deeplinear/solve.js';
export type { DeepLinearProblem, DeepLinearArchitecture } from './limits/deeplinear/problem.js';
export { inputKernel, initialKernelFactor } from './limits/deeplinear/problem.js';
export { tangentKernelAt, predict, type DeepLinearSolution } from './limits/deeplinear/solution.js';
export { frozenKernelGd, onePointFlow, onePointGd, lazyFromInitial } from './limits/deeplinear/exact.js';
export {
  saxeTwoLayer, saxeModeTrajectory, saxeLearningTime, saxeHalfTime, thinSvd, decoupledBalancedWeights, modeStrengths,
} from './limits/deeplinear/saxe.js';
export { limitLinearMap, linearTeacherRisk, onePointProblem, populationDynamics } from './limits/deeplinear/population.js';
export { checkDeepLinearAgainstFinite, type DeepLinearCheckConfig } from './regimes/deeplinear/check.js';
export { sweepWidthLr, pathwiseLazyLoss, type TransferConfig, type TransferParam } from './regimes/deeplinear/transfer.js';
export {
  deepLinearNetSpec, initLinearNet, trainLinearGd, forwardLinear, endToEnd, type LinearNetSpec,
} from './finite/residualLinear.js';

// ── Harness: sweeps, fits, reports, experiments ──
export { runCompare, type CompareOptions } from './harness/compare.js';
export { fitRecords, defaultExpectations, verdictOf } from './harness/fits.js';
export { writeReport } from './harness/report/index.js';
export { runExperiment } from './regimes/runExperiment.js';
export { listExperiments, loadExperiment, type ExperimentConfig } from './harness/experiments.js';
export { registerExperimentKind, type ExperimentKind, type ExperimentOutput } from './harness/kinds.js';
export type { LongRecord, CurveRecord, FitRecord, CompareResults } from './harness/types.js';

// ── The reference papers' regimes as experiment kinds ──
export {
  registerRegimeKinds, geigerAlphaScanKind, thetaPhaseDiagramKind, runGeigerScan, analyseScan, crossingAlpha,
  collapseMeasure, stoppedFlow, runThetaScan, analyseTheta, thetaExponents, thetaPoint, kappaExponent,
  theoreticalRegime, classifyExponent, frozenSpectrum,
} from './regimes/index.js';
export { registerIpKinds, runIpExperiment, variantArchitecture, calibrateFirstStep } from './regimes/ip/index.js';
export {
  registerKumarHauptKinds, homogeneousNet, correlationProblem, kktByProjectedAscent, kktResidual, rescaledFlow,
  layerRankRatios, runKumarHaupt,
} from './regimes/kumarHaupt/index.js';
export { registerMeanFieldKinds } from './regimes/meanfield/experiments.js';
export { registerDeepLinearKinds } from './regimes/deeplinear/experiments.js';
