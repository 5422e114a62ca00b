"""PyTorch CPU reference for `npm run bench`: the lab's two-branch model, trained the same way.

Reads a JSON spec (data, layer sizes, batch size, learning rate, repeats) from the file named by
argv[1] and prints one JSON line. Without torch it prints {"available": false, ...} and exits 0.
The spec's "model" is "mlp" (the default MLP encoders) or "cnn" (the CNN encoders of
src/core/model/cnnEncoder.ts: per filter count a 3x3 'same' convolution, the activation and 2x2
average pooling, then a dense layer and the activation).

With "serve": true in the spec it then stays up for interleaved repeats on one thread: each line
read from stdin is a number of steps N; it runs N steps of one warm trainer and prints the seconds
they took, so the bench can alternate tfjs and PyTorch repeats and machine noise falls on both.
"""

import json
import statistics
import sys
import time


def main() -> None:
    spec = json.load(open(sys.argv[1]))
    try:
        import torch
    except ImportError as e:
        print(json.dumps({"available": False, "reason": f"PyTorch not available ({sys.executable}: {e})"}))
        return
    from torch import nn

    torch.manual_seed(spec["seed"])
    xs = [torch.tensor(x, dtype=torch.float32).reshape(-1, d) for x, d in zip(spec["trainX"], spec["inputDims"])]
    y = torch.tensor(spec["trainY"], dtype=torch.long)
    n, batch = y.shape[0], spec["batchSize"]

    cnn = spec.get("model", "mlp") == "cnn"
    if cnn:
        # The lab's rows are flattened [H, W, C] images; PyTorch convolves [N, C, H, W].
        xs = [x.reshape(-1, *shape).permute(0, 3, 1, 2).contiguous() for x, shape in zip(xs, spec["inputShapes"])]

    def mlp_encoder(d: int) -> nn.Module:
        layers, fan_in = [], d
        for w in spec["hidden"]:
            layers += [nn.Linear(fan_in, w), nn.ReLU()]
            fan_in = w
        return nn.Sequential(*layers)

    def cnn_encoder(shape: list) -> nn.Module:
        h, w, c = shape
        layers = []
        for f in spec["filters"]:
            layers += [nn.Conv2d(c, f, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2)]
            h, w, c = h // 2, w // 2, f
        return nn.Sequential(*layers, nn.Flatten(), nn.Linear(h * w * c, spec["outDim"]), nn.ReLU())

    class TwoBranch(nn.Module):
        """φᵐ: the MLP or CNN encoder, ReLU last; head: Σₘ Wᵐφᵐ + b (concatenation, one linear layer)."""

        def __init__(self) -> None:
            super().__init__()
            if cnn:
                self.encoders = nn.ModuleList(cnn_encoder(s) for s in spec["inputShapes"])
            else:
                self.encoders = nn.ModuleList(mlp_encoder(d) for d in spec["inputDims"])
            width = spec["outDim"] if cnn else spec["hidden"][-1]
            self.heads = nn.ModuleList(nn.Linear(width, spec["classes"], bias=False) for _ in xs)
            self.bias = nn.Parameter(torch.zeros(spec["classes"]))

        def forward(self, inputs):
            return sum(h(e(x)) for e, h, x in zip(self.encoders, self.heads, inputs)) + self.bias

    def trainer():
        """Steps as the lab takes them: a permutation per epoch, a gather per batch, the loss summed
        on the device and read back every `progressEvery` steps."""
        model = TwoBranch()
        opt = torch.optim.Adam(model.parameters(), lr=spec["learningRate"])
        loss_fn = nn.CrossEntropyLoss()
        state = {"order": torch.randperm(n), "at": 0, "sum": torch.zeros(()), "since": 0}

        def step() -> None:
            if state["at"] >= n:
                state["order"], state["at"] = torch.randperm(n), 0
            idx = state["order"][state["at"] : state["at"] + batch]
            state["at"] += batch
            opt.zero_grad()
            loss = loss_fn(model([x[idx] for x in xs]), y[idx])
            loss.backward()
            opt.step()
            state["sum"] = state["sum"] + loss.detach()
            state["since"] += 1
            if state["since"] == spec["progressEvery"]:
                state["sum"].item()
                state["sum"], state["since"] = torch.zeros(()), 0

        return step

    def steps_per_second(threads: int) -> list:
        torch.set_num_threads(threads)
        step = trainer()
        for _ in range(spec["warmupSteps"]):
            step()
        rates = []
        for _ in range(spec["repeats"]):
            t0 = time.perf_counter()
            for _ in range(spec["stepsPerRepeat"]):
                step()
            rates.append(spec["stepsPerRepeat"] / (time.perf_counter() - t0))
        return rates

    default_threads = torch.get_num_threads()
    rates = steps_per_second(default_threads)
    single = steps_per_second(1)
    torch.set_num_threads(default_threads)

    ops = None
    try:
        step = trainer()
        for _ in range(spec["warmupSteps"]):
            step()
        with torch.autograd.profiler.profile() as prof:
            for _ in range(spec["progressEvery"]):
                step()
        # Top-level operator calls only (those with no parent event), as tf.profile counts kernels.
        ops = sum(1 for e in prof.function_events if e.cpu_parent is None) / spec["progressEvery"]
    except Exception:  # the profiler is a nicety; the timing stands without it
        ops = None

    med = statistics.median(rates)
    serve = bool(spec.get("serve"))
    print(
        json.dumps(
            {
                "available": True,
                "version": torch.__version__,
                "debian": torch.__version__.startswith("1.13") and "/usr/lib/python3/dist-packages" in torch.__file__,
                "python": f"{sys.executable} {sys.version.split()[0]}",
                "threads": default_threads,
                "stepsPerSecond": med,
                "samplesPerSecond": med * batch,
                "repeats": [r * batch for r in rates],
                "stepsPerRepeat": spec["stepsPerRepeat"],
                "singleThreadStepsPerSecond": statistics.median(single),
                "opsPerStep": ops,
                "batchSize": batch,
                "trainSamples": n,
            }
        ),
        flush=True,
    )
    if serve:
        torch.set_num_threads(1)
        step = trainer()
        for _ in range(spec["warmupSteps"]):
            step()
        for line in sys.stdin:
            steps = int(line)
            t0 = time.perf_counter()
            for _ in range(steps):
                step()
            print(time.perf_counter() - t0, flush=True)


main()
