/**
 * The one list of citations (issue 11: "one citation list"): the papers behind the equations a run
 * used, keyed by short names. Limits and experiment kinds name their references by these keys
 * (`results.references`, `meta.references`); reports print the entries
 * (docs/interface.md#output-folder: the report lists the references of the methods a run used).
 */
export interface Citation {
  authors: string;
  year: number;
  title: string;
  /** arXiv id or journal. */
  where: string;
  url: string;
  /** What the harness takes from it. */
  used: string;
}

const LIST = {
  jacot2018: {
    authors: 'A. Jacot, F. Gabriel, C. Hongler', year: 2018,
    title: 'Neural Tangent Kernel: Convergence and Generalization in Neural Networks',
    where: 'arXiv:1806.07572', url: 'https://arxiv.org/abs/1806.07572',
    used: 'NTK recursion (Thm 1) and its constancy during training (Thm 2): kernel distances → 0 as h → ∞.',
  },
  lee2019: {
    authors: 'J. Lee, L. Xiao, S. S. Schoenholz, Y. Bahri, R. Novak, J. Sohl-Dickstein, J. Pennington', year: 2019,
    title: 'Wide Neural Networks of Any Depth Evolve as Linear Models Under Gradient Descent',
    where: 'arXiv:1902.06720', url: 'https://arxiv.org/abs/1902.06720',
    used: 'Frozen-kernel dynamics (Eq. 9–11), O(h^{-1/2}) deviation of outputs, weights and kernel (Thm 2.1), ensemble mean and covariance (Eq. 13–16).',
  },
  arora2019: {
    authors: 'S. Arora, S. S. Du, W. Hu, Z. Li, R. Salakhutdinov, R. Wang', year: 2019,
    title: 'On Exact Computation with an Infinitely Wide Neural Net',
    where: 'arXiv:1904.11955', url: 'https://arxiv.org/abs/1904.11955',
    used: 'NTK recursion with Σ̇ (Eq. 4–7) and its dual activations.',
  },
  cho2009: {
    authors: 'Y. Cho, L. K. Saul', year: 2009,
    title: 'Kernel Methods for Deep Learning',
    where: 'NeurIPS 2009', url: 'https://papers.nips.cc/paper/3628-kernel-methods-for-deep-learning',
    used: 'Arc-cosine kernels: the ReLU dual activations.',
  },
  geiger2020: {
    authors: 'M. Geiger, S. Spigler, A. Jacot, M. Wyart', year: 2020,
    title: 'Disentangling feature and lazy training in deep neural networks',
    where: 'arXiv:1906.08034', url: 'https://arxiv.org/abs/1906.08034',
    used: 'Seed variance of the centred learned function ∝ 1/h; MNIST parity task.',
  },
  mei2018: {
    authors: 'S. Mei, A. Montanari, P.-M. Nguyen', year: 2018,
    title: 'A mean field view of the landscape of two-layer neural networks',
    where: 'arXiv:1804.06561', url: 'https://arxiv.org/abs/1804.06561',
    used: 'Mean-field limit of two-layer networks; m^{-1/2} propagation of chaos.',
  },
  chizat2018: {
    authors: 'L. Chizat, F. Bach', year: 2018,
    title: 'On the Global Convergence of Gradient Descent for Over-parameterized Models using Optimal Transport',
    where: 'arXiv:1805.09545', url: 'https://arxiv.org/abs/1805.09545',
    used: 'Wasserstein gradient flow of the particle system.',
  },
  bordelon2022: {
    authors: 'B. Bordelon, C. Pehlevan', year: 2022,
    title: 'Self-Consistent Dynamical Field Theory of Kernel Evolution in Wide Neural Networks',
    where: 'arXiv:2205.09653', url: 'https://arxiv.org/abs/2205.09653',
    used: 'Infinite-width dynamics of deep linear networks from random init (DMFT).',
  },
  saxe2014: {
    authors: 'A. M. Saxe, J. L. McClelland, S. Ganguli', year: 2014,
    title: 'Exact solutions to the nonlinear dynamics of learning in deep linear neural networks',
    where: 'arXiv:1312.6120', url: 'https://arxiv.org/abs/1312.6120',
    used: 'Closed-form mode dynamics of deep linear networks.',
  },
  bordelon2025: {
    authors: 'B. Bordelon, C. Pehlevan', year: 2025,
    title: 'Deep Linear Network Training Dynamics from Random Initialization: Data, Width, Depth, and Hyperparameter Transfer',
    where: 'arXiv:2502.02531', url: 'https://arxiv.org/abs/2502.02531',
    used: 'Single-site dynamical mean-field equations of deep linear networks (theory/deeplinear.md#residual-kernel), residual branches scaled by β0/√L, μP learning-rate transfer.',
  },
  yang2021: {
    authors: 'G. Yang, E. J. Hu', year: 2021,
    title: 'Tensor Programs IV: Feature Learning in Infinite-Width Neural Networks',
    where: 'arXiv:2011.14522', url: 'https://arxiv.org/abs/2011.14522',
    used: 'abc parameterizations and μP (theory/conventions.md#abc).',
  },
  hajjar2021: {
    authors: 'K. Hajjar, L. Chizat, C. Giraud', year: 2021,
    title: 'Training Integrable Parameterizations of Deep Neural Networks in the Infinite-Width Limit',
    where: 'arXiv:2110.15596', url: 'https://arxiv.org/abs/2110.15596',
    used: 'Integrable parameterizations, IP-LLR, and the stationary start of IP with more than four layers (theory/ip.md#presets).',
  },
  hajjar2023: {
    authors: 'K. Hajjar, L. Chizat', year: 2023,
    title: 'On the Symmetries in the Dynamics of Wide Two-Layer Neural Networks',
    where: 'arXiv:2211.08771', url: 'https://arxiv.org/abs/2211.08771',
    used: 'Odd target with symmetric data and init: the predictor stays linear; reduced sinh ODE (theory/meanfield.md#odd-target, [derived]).',
  },
  luo2021: {
    authors: 'T. Luo, Z.-Q. J. Xu, Z. Ma, Y. Zhang', year: 2021,
    title: 'Phase Diagram for Two-layer ReLU Neural Networks at Infinite-width Limit',
    where: 'JMLR 22:71', url: 'https://jmlr.org/papers/v22/',
    used: 'Two-layer phase diagram in (γ, γ′): linear, critical, condensed regimes (theory/theta.md#regimes).',
  },
  li2024: {
    authors: 'Y. Li, T. Luo, Q. Zhou', year: 2024,
    title: 'Demystifying Lazy Training of Neural Networks from a Macroscopic Viewpoint',
    where: 'arXiv:2404.04859', url: 'https://arxiv.org/abs/2404.04859',
    used: 'θ-lazy area: training stays lazy when lim log κ / log m > 0 (theory/theta.md#regimes).',
  },
  kumar2024: {
    authors: 'A. Kumar, J. Haupt', year: 2024,
    title: 'Early Directional Convergence in Deep Homogeneous Neural Networks for Small Initializations',
    where: 'arXiv:2403.08121', url: 'https://arxiv.org/abs/2403.08121',
    used: 'Neural correlation function, KKT points on the sphere, δ^{−(p−2)} time scale (theory/kumar-haupt.md#ascent).',
  },
  dyer2019: {
    authors: 'E. Dyer, G. Gur-Ari', year: 2019,
    title: 'Asymptotics of Wide Networks from Feynman Diagrams',
    where: 'arXiv:1909.11304', url: 'https://arxiv.org/abs/1909.11304',
    used: 'Orders in 1/h: the empirical NTK fluctuates with variance O(1/h) at initialization and moves by O(1/h) during training (smooth activations); the finite-width prediction C(τ)/h uses these orders.',
  },
  hanin2019: {
    authors: 'B. Hanin, M. Nica', year: 2019,
    title: 'Finite Depth and Width Corrections to the Neural Tangent Kernel',
    where: 'arXiv:1909.05989', url: 'https://arxiv.org/abs/1909.05989',
    used: 'ReLU networks: the relative variance of the NTK at initialization is of order depth/width, and the kernel moves during training.',
  },
  efron1993: {
    authors: 'B. Efron, R. J. Tibshirani', year: 1993,
    title: 'An Introduction to the Bootstrap',
    where: 'Chapman & Hall', url: 'https://doi.org/10.1201/9780429246593',
    used: 'Percentile bootstrap over seeds for the confidence interval of the fitted exponent.',
  },
} satisfies Record<string, Citation>;

/** A key of the list. */
export type CitationKey = keyof typeof LIST;

/** Every citation by key (a plain record, for lookups of keys read from result files). */
export const CITATIONS: Readonly<Record<string, Citation>> = LIST;
