import { parseActivation } from '../src/finite/activation.js';
for (const s of ['relu','leaky_relu:0.2','abs','erf','tanh','gelu','softplus:2','identity','x^3 + sin(x)','x^2','2*x^2-1','foo','y+1','x^']) {
  try { const a = parseActivation(s); console.log(s, a.name, JSON.stringify(a.family), a.f(0.5), a.df(0.5)); } catch (e) { console.log('ERR', (e as Error).message); }
}
