"""One run through the method's phases (src/core/train/trainer.ts, batchLoss.ts, step2.ts), on one
process or many.

How N processes train the same model as one (tests/test_ddp.py checks it):
- every process holds the same data and draws the same batch order, mixup λ and partner
  permutation from the lab's seeded streams; each takes a contiguous shard of every global batch;
- the loss is Σ(per-sample loss over the shard) · N / B for a global batch of B samples, so the
  gradient DistributedDataParallel averages over the N processes is the global batch's mean;
- step 2 moves only a, outside DDP: the shards' gradients are summed with all_reduce;
- model selection keeps, and patience stops at, the same epoch on every process (phase_selection.py);
- the Lipschitz estimation, evaluation and attacks are split by sample and reduced (evaluate.py).
"""

from __future__ import annotations

import math
import re
import sys

import numpy as np
import torch
from torch.nn.parallel import DistributedDataParallel as DDP

from .attacks import PgdL2, pgd_l2
from .distributed import LOCAL, Dist
from .evaluate import SplitTensors, collect_outputs, evaluate_split, split_tensors
from .experiment_json import at_step_size
from .losses import cross_entropy, crmt_margin_term, mixup_cross_entropy, mixup_margin_term
from .methods import METHODS, plan_phases
from .model.model import MultiModalModel, build_model_spec, head_for
from .rng import Rng, permutation, sample_beta
from .sampler import LabBatchSampler
from .phase_selection import PhaseSelection, check_criterion, kept_message
from .step2 import estimate_step2_constants, step2_objective

#: tf.backend().epsilon() on the lab's float32 backends: the Adam ε the lab trains with.
ADAM_EPSILON = 1e-7
DECAYED = re.compile(r"weight|head\.[wv]\d")


class TrainingDiverged(RuntimeError):
    pass


class Trainer:
    def __init__(
        self,
        data,
        config: dict,
        dist: Dist = LOCAL,
        model: MultiModalModel | None = None,
        log=None,
    ) -> None:
        self.t = config["train"]
        self.method = METHODS[self.t["method"]]
        self.dist, self.log = dist, log or (lambda s: None)
        seed = self.t["seed"]
        K = len(data.class_names)
        head = head_for(self.method.head, self.t["headRows"], self.method.structure == "ume")
        self.model = (model or MultiModalModel(build_model_spec(data.modalities, K, config["model"], head, seed))).to(
            dist.device
        )
        self.teacher = None
        if self.method.structure == "umt":
            spec = build_model_spec(
                data.modalities, K, config["model"], head_for("joint", "orthonormal", True), seed + 7
            )
            self.teacher = MultiModalModel(spec).to(dist.device)
        self.train = split_tensors(data, "train", dist.device)
        self.val = split_tensors(data, "val", dist.device)
        if self.train.n == 0:
            raise ValueError(f'Dataset "{data.name}" has no training samples.')
        check_criterion(self.t, self.model, self.val)
        self.plan = plan_phases(self.t)
        self.sampler = LabBatchSampler(self.t["batchSize"], seed, dist)
        self.mix_rng = Rng(seed + 2)
        self.modality_names = [m.name for m in data.modalities]
        self.step = 0
        self.run_epoch = 0
        #: The lab's epoch records (src/core/train/snapshot.ts EpochRecord); the CLI runs without live evaluation.
        self.history: list[dict] = []
        #: Mean training loss of each epoch (the lab's progress loss), for the log and the parity tests.
        self.epoch_losses: list[float] = []
        self.lipschitz: dict | None = None
        self._constants = None

    # --- phases -----------------------------------------------------------------------------------

    def run(self) -> None:
        for phase, epochs in self.plan:
            if phase == "lipschitz":
                self._lipschitz_phase()
                continue
            if phase == "step2":
                self._step2_phase(epochs)
                continue
            trained = self.teacher if phase == "teachers" else self.model
            net = (
                DDP(trained, device_ids=[self.dist.device] if self.dist.device.type == "cuda" else None)
                if self.dist.active
                else trained
            )
            opt = torch.optim.Adam(trained.parameters(), lr=self.t["learningRate"], eps=ADAM_EPSILON)
            selection = self._selection(phase, [*trained.parameters(), *trained.buffers()])
            for epoch in range(1, epochs + 1):
                losses = [self._main_step(phase, net, trained, opt, b, sl) for b, sl in self._epoch_batches(phase)]
                if self._end_epoch(phase, epoch, epochs, losses, trained, selection):
                    break

    def _source(self, phase: str) -> SplitTensors:
        """The split a phase trains on: step 2 fits a on the validation split when set to and it has samples."""
        if phase == "step2" and self.t["step2"]["data"] == "validation" and self.val.n > 0:
            return self.val
        return self.train

    def _epoch_batches(self, phase: str):
        self.sampler.set_epoch(self.run_epoch, self._source(phase).n)
        return list(self.sampler)

    def _selection(self, phase: str, variables: list[torch.Tensor]) -> PhaseSelection:
        # Step 2 fit on the validation split cannot also be chosen on it: it keeps its last epoch.
        fit_on_validation = self._source(phase) is self.val
        criterion = "last" if fit_on_validation or self.val.n == 0 else self.t["selection"]
        return PhaseSelection(phase, criterion, self.t, variables, self.modality_names, self.dist)

    def _end_epoch(self, phase, epoch, epochs, losses, evaluated, selection: PhaseSelection) -> bool:
        """The epoch's record, and the selection's word on it; True when the phase ends here."""
        self.run_epoch += 1
        loss = float(np.mean(losses))
        if not math.isfinite(loss):
            raise TrainingDiverged(
                f'Training diverged: the loss became {loss} in phase "{phase}" at epoch {epoch} '
                f"(step {self.step}). Lower the learning rate or check the data."
            )
        was_training = evaluated.training
        evaluated.eval()
        rec = {
            "epoch": epoch,
            "runEpoch": self.run_epoch,
            "phase": phase,
            "train": evaluate_split(evaluated, self.train, self.dist),
            "val": evaluate_split(evaluated, self.val, self.dist),
            "integration": _integration(self.model),
            "evaluation": None,
        }
        stop, warning = selection.observe(rec, evaluated, self.val)
        if warning:
            rec["warnings"] = [warning]
            self.log(f"warning: {warning}")
        end = stop or epoch >= epochs
        if end:
            kept = selection.finish(rec, epoch < epochs)
            if kept:
                rec["selection"] = kept
        evaluated.train(was_training)
        self.history.append(rec)
        self.epoch_losses.append(loss)
        if end or epoch % 10 == 0:
            self.log(f"{phase} epoch {epoch}/{epochs}: loss {loss:.4f}, val acc {100 * rec['val']['accuracy']:.1f}%")
        if "selection" in rec:
            self.log(kept_message(rec["selection"]))
        return end

    # --- the main phase -----------------------------------------------------------------------------

    def _main_step(self, phase, net, trained, opt, batch: np.ndarray, sl: slice) -> float:
        B = len(batch)
        local = torch.from_numpy(batch[sl]).to(self.dist.device)
        xs = [x[local] for x in self.train.x]
        y = self.train.y[local]
        if phase == "teachers":
            per = sum(cross_entropy(u, y) for u in net(xs).uni)
        else:
            per = self._per_sample_loss(net, xs, y, batch, sl)
        total = per.sum() * (self.dist.world / B)
        decay = _weight_decay(trained, self.t["weightDecay"]) if phase != "teachers" else None
        loss = total + decay if decay is not None else total
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if phase != "teachers":
            _project_integration(self.model)
        self.step += 1
        value = self.dist.sum(per.sum().detach().double()).item() / B
        return value + (decay.item() if decay is not None else 0.0)

    def _per_sample_loss(self, net, xs, y, batch, sl) -> torch.Tensor:
        t, method = self.t, self.method
        rho = t["rho"] if method.margin_term else 0
        if method.structure == "ume":
            return sum(cross_entropy(u, y) for u in net(xs).uni)
        if method.structure == "umt":
            with torch.no_grad():
                targets = self.teacher.features(xs)
            out = net(xs)
            distil = sum(((f - g) ** 2).sum(dim=1) for f, g in zip(out.features, targets))
            return cross_entropy(out.logits, y) + t["umtAlpha"] * distil

        def fused(out, labels):
            ce = cross_entropy(out.logits, labels)
            return ce + rho * crmt_margin_term(out.uni, labels, t["marginFloor"]) if rho > 0 else ce

        if method.inputs == "adversarial":
            adv = self._adversarial(xs, y)
            w = t["at"]["cleanWeight"]
            if w <= 0:
                return fused(net(adv), y)
            # One forward over [adversarial; clean], so DDP sees one pass.
            n = y.shape[0]
            out = net([torch.cat([a, x]) for a, x in zip(adv, xs)])
            per = fused(out, torch.cat([y, y]))
            return (1 - w) * per[:n] + w * per[n:]
        if method.inputs == "mixup":
            # One λ and one permutation per global batch, drawn identically by every process; the
            # partners of this shard's samples may live in another shard, so they are read by index.
            lam = sample_beta(t["mixupAlpha"], self.mix_rng)
            p = np.array(permutation(len(batch), self.mix_rng), dtype=np.int64)
            partners = torch.from_numpy(batch[p[sl]]).to(self.dist.device)
            mixed = [lam * x + (1 - lam) * full[partners] for x, full in zip(xs, self.train.x)]
            yb = self.train.y[partners]
            out = net(mixed)
            ce = mixup_cross_entropy(out.logits, y, yb, lam)
            return ce + rho * mixup_margin_term(out.uni, y, yb, lam, t["marginFloor"]) if rho > 0 else ce
        return fused(net(xs), y)

    def _adversarial(self, xs, y):
        """Joint-ℓ2 PGD on the fused cross-entropy; only the inputs are differentiated (spec §8)."""
        at = self.t["at"]
        g = torch.Generator().manual_seed(self.t["seed"] * 100_003 + self.step)
        self.model.eval()
        adv = pgd_l2(
            lambda a: cross_entropy(self.model(a).logits, y).mean(),
            xs,
            [True] * len(xs),
            PgdL2(at["eps"], at["steps"], at_step_size(at), at["randomStart"]),
            g,
        )
        self.model.train()
        return adv

    # --- Lipschitz estimation and step 2 ---------------------------------------------------------------

    def _lipschitz_phase(self) -> None:
        self.model.eval()
        self._constants, self.lipschitz = estimate_step2_constants(
            self.model, self.train.x, self.t["step2"]["tauSource"], self.dist
        )
        self.log(f"Lipschitz estimation done ({self.lipschitz['kind']})")

    def _step2_phase(self, epochs: int) -> None:
        """Only a moves (spec §7): SGD with momentum on the frozen uni-modal logits of the split it fits on
        (train.step2.data: validation, the default, or train)."""
        s2 = self.t["step2"]
        src = self._source("step2")
        self.model.eval()
        frozen = collect_outputs(self.model, src.x, self.dist).uni
        uni_all = [torch.from_numpy(u).to(self.dist.device) for u in frozen]
        a = self.model.integration()
        opt = torch.optim.SGD(a, lr=self.t["learningRate"] * s2["lrScale"], momentum=s2["momentum"])
        selection = self._selection("step2", a)
        for epoch in range(1, epochs + 1):
            losses = []
            for batch, sl in self._epoch_batches("step2"):
                B = len(batch)
                local = torch.from_numpy(batch[sl]).to(self.dist.device)
                uni = [u[local] for u in uni_all]
                per, decay = step2_objective(self.model.head, uni, src.y[local], self._constants, s2)
                loss = per.sum() / B + decay / self.dist.world
                opt.zero_grad(set_to_none=True)
                loss.backward()
                for v in a:
                    v.grad = self.dist.sum(v.grad)
                opt.step()
                _project_integration(self.model)
                self.step += 1
                losses.append(self.dist.sum(per.sum().detach().double()).item() / B + decay.item())
            if self._end_epoch("step2", epoch, epochs, losses, self.model, selection):
                break


def _weight_decay(model, lam: float):
    """(λ/2)·Σ‖W‖² over weight matrices and kernels (not biases, not a), added to the loss as the lab does."""
    if lam <= 0:
        return None
    return 0.5 * lam * sum((p * p).sum() for n, p in model.named_parameters() if DECAYED.search(n))


def _project_integration(model) -> None:
    a = model.integration()
    if a:
        with torch.no_grad():
            for v in a:
                v.clamp_(min=0)


def _integration(model):
    a = model.integration()
    return [v.detach().cpu().tolist() for v in a] if a else None


def print_log(rank: int):
    def log(msg: str) -> None:
        if rank == 0:
            print(msg, file=sys.stderr, flush=True)

    return log
