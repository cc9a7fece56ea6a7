"""Peer of bench/workloads/trainer.ts: full-batch GD on a ReLU MLP in PyTorch, float64.

Layer l computes z = m_l * (a @ W_l.T) (no biases), a = relu(z) for hidden layers; the loss is
(1/(2n)) sum (f - y)^2; each step is p -= lr * r_l * p.grad under no_grad. Initial weights and
data come from our side, so the final train loss must match ours to rounding. Train/test outputs
and losses are evaluated at step 0 and at the end, as our trainer records them.
"""
from _common import load_job, set_torch_threads, measure, emit

params, arrays, timing, threads = load_job()
torch = set_torch_threads(threads)
layers = params["layers"]
lr = float(params["lr"])
steps = int(params["steps"])
L1 = len(layers)
x = torch.from_numpy(arrays["x"])
y = torch.from_numpy(arrays["y"])
x_test = torch.from_numpy(arrays["xTest"])
y_test = torch.from_numpy(arrays["yTest"])
W_init = [torch.from_numpy(arrays["W%d" % l]) for l in range(L1)]
mult = [float(l["multiplier"]) for l in layers]
rate = [float(l["rate"]) for l in layers]
n = x.shape[0]


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.W = torch.nn.ParameterList([torch.nn.Parameter(w.clone()) for w in W_init])

    def forward(self, a):
        for l in range(L1):
            z = (a @ self.W[l].T) * mult[l]
            a = torch.relu(z) if l < L1 - 1 else z
        return a


def mse(f, t):
    return 0.5 * ((f - t) ** 2).sum() / t.shape[0]


def train():
    net = MLP()
    record = []
    with torch.no_grad():
        record.append((mse(net(x), y).item(), mse(net(x_test), y_test).item()))
    loss = None
    for _ in range(steps):
        loss = mse(net(x), y)
        loss.backward()
        with torch.no_grad():
            for l, p in enumerate(net.W):
                p -= (lr * rate[l]) * p.grad
                p.grad = None
    with torch.no_grad():
        record.append((mse(net(x), y).item(), mse(net(x_test), y_test).item()))
    return record


measured = measure(train, timing)
record = measured[2]
emit(measured, check=record[-1][0], initial_loss=record[0][0], test_loss=record[-1][1])
