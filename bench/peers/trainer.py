"""Peer of bench/workloads/trainer.ts: full-batch GD on an MLP in PyTorch, float64.

Layer l computes z = m_l * (a @ W_l.T) (+ s_l * b_l where the layer has a bias), a = phi(z) for
hidden layers (relu or erf); the loss is (1/(2n)) sum (f - y)^2; each step is
p -= lr * r_p * p.grad under no_grad. Initial weights and data come from our side, so the final
train loss must match ours to rounding. Train/test outputs and losses are evaluated at step 0 and
at the end, as our trainer records them.
"""
from _common import load_job, set_torch_threads, measure, emit

params, arrays, timing, threads = load_job()
torch = set_torch_threads(threads)
layers = params["layers"]
lr = float(params["lr"])
steps = int(params["steps"])
phi = {"relu": torch.relu, "erf": torch.erf}[params.get("activation", "relu")]
L1 = len(layers)
x = torch.from_numpy(arrays["x"])
y = torch.from_numpy(arrays["y"])
x_test = torch.from_numpy(arrays["xTest"])
y_test = torch.from_numpy(arrays["yTest"])
W_init = [torch.from_numpy(arrays["W%d" % l]) for l in range(L1)]
b_init = [torch.from_numpy(arrays["b%d" % l]) if layers[l].get("bias") else None for l in range(L1)]
mult = [float(l["multiplier"]) for l in layers]
rate = [float(l["rate"]) for l in layers]
bmult = [float(l["bias"]["multiplier"]) if l.get("bias") else 0.0 for l in layers]
brate = [float(l["bias"]["rate"]) if l.get("bias") else 0.0 for l in layers]
n = x.shape[0]


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.W = torch.nn.ParameterList([torch.nn.Parameter(w.clone()) for w in W_init])
        self.b = torch.nn.ParameterList([torch.nn.Parameter(b.clone()) for b in b_init if b is not None])
        self.bi = {}
        for l, b in enumerate(b_init):
            if b is not None:
                self.bi[l] = len(self.bi)

    def forward(self, a):
        for l in range(L1):
            z = (a @ self.W[l].T) * mult[l]
            if l in self.bi:
                z = z + bmult[l] * self.b[self.bi[l]]
            a = phi(z) if l < L1 - 1 else z
        return a


def mse(f, t):
    return 0.5 * ((f - t) ** 2).sum() / t.shape[0]


def train():
    net = MLP()
    record = []
    with torch.no_grad():
        record.append((mse(net(x), y).item(), mse(net(x_test), y_test).item()))
    for _ in range(steps):
        loss = mse(net(x), y)
        loss.backward()
        with torch.no_grad():
            for l, p in enumerate(net.W):
                p -= (lr * rate[l]) * p.grad
                p.grad = None
            for l, i in net.bi.items():
                p = net.b[i]
                p -= (lr * brate[l]) * p.grad
                p.grad = None
    with torch.no_grad():
        record.append((mse(net(x), y).item(), mse(net(x_test), y_test).item()))
    return record


measured = measure(train, timing)
record = measured[2]
emit(measured, check=record[-1][0], initial_loss=record[0][0], test_loss=record[-1][1])
