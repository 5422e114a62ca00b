"""`python -m crmt_lab.train …` or `torchrun --nproc_per_node N -m crmt_lab.train …`: the lab's
experiment (`npm run experiment`) on PyTorch, with the same flags, model files and result JSON."""

from __future__ import annotations

import sys
import time

import torch

from .config import USAGE, ConfigError, cli_options, normalise, parse_args
from .data import DataError, apply_standardisation, load_data, training_statistics
from .data.dataset import select_modalities
from .data.standardise import Standardisation
from .distributed import setup, teardown
from .evaluate import certify, collect_outputs, preference, robustness, split_tensors
from .export import export_model, model_data_mismatch, read_model_files, write_model_files
from .results import experiment_result, write_result
from .trainer import Trainer, TrainingDiverged, print_log


def _modalities(o: dict, raw) -> list[str] | None:
    """--modalities, else the config's list, else the page's default (all, or the first two of more) for a
    page config and all of them for the command line, as each does in the lab."""
    if o["modalities"]:
        return o["modalities"]
    if o["config"]["modalities"]:
        return list(o["config"]["modalities"])
    if o["from_page"] and len(raw.modalities) > 2:
        return [m.name for m in raw.modalities[:2]]
    return None


def run(o: dict, dist, log) -> dict:
    config = o["config"]
    t = config["train"]
    raw = load_data(o["data"], None, t["seed"])
    names = _modalities(o, raw)
    if names:
        raw = select_modalities(raw, names)
    stats = training_statistics(raw)
    model = None
    if o["weights"]:
        model, mconf = read_model_files(o["weights"])
        problem = model_data_mismatch(mconf, raw.modalities, raw.class_names)
        if problem:
            raise DataError(f"{o['weights']}: {problem}")
        # The model's own standardisation and settings; only the epochs (0: evaluate only) come from the command.
        stats = Standardisation.from_json(mconf["standardisation"])
        config = normalise({**config, "train": {**mconf["train"], "epochs": t["epochs"]}})
        t = config["train"]
        log(f"loaded {mconf['method']} weights from {o['weights']}")
    data = apply_standardisation(raw, stats)
    trainer = Trainer(data, config, dist, model, o["select"], log)
    start = time.perf_counter()
    if t["epochs"] > 0:
        trainer.run()
    model = trainer.model.eval()
    if o["export"] and dist.is_main:
        files = export_model(
            model,
            dataset=data.name,
            modalities=data.modalities,
            classes=data.class_names,
            method=t["method"],
            train=t,
            standardisation=stats,
        )
        write_model_files(o["export"], files)
        log(f"exported {', '.join(files)} to {o['export']}")
    train_seconds = time.perf_counter() - start
    names = [m.name for m in data.modalities]
    test = split_tensors(data, "test", dist.device)
    labels = test.y.cpu().numpy()
    outputs = collect_outputs(model, test.x, dist)
    cert = certify(model, outputs, labels, trainer.train.x, names, o["eps"], dist)
    robust, eval_seconds, one_pass = robustness(model, test, names, o["eps"], t["seed"], dist)
    a = model.integration()
    backend = f"pytorch-{torch.__version__} {dist.device.type}" + (
        f" ×{dist.world} ({dist.backend})" if dist.active else ""
    )
    return experiment_result(
        method=t["method"],
        dataset=data.name,
        seed=t["seed"],
        backend=backend,
        names=names,
        outputs=outputs,
        labels=labels,
        cert=cert,
        robust=robust,
        eval_seconds=eval_seconds,
        one_pgd_pass=one_pass,
        preference=preference(outputs, labels, cert.radii, names),
        integration=[v.detach().cpu().tolist() for v in a] if a else None,
        train_seconds=train_seconds,
        epochs=t["epochs"],
        test_samples=test.n,
        history=trainer.history,
    )


def summary(r: dict) -> str:
    pct = lambda x: "n/a" if x is None else f"{100 * x:.1f}%"  # noqa: E731
    lines = [
        f"{r['method']} on {r['dataset']} ({' + '.join(r['modalities'])}), seed {r['seed']}, backend {r['backend']}",
        f"trained {r['epochs']} epochs in {r['train_seconds']:.1f} s; test samples: {r['test_samples']}",
        f"clean accuracy     {pct(r['clean_acc'])}",
        *[f"branch {m:<11} {pct(r['branch_acc'][m])}" for m in r["modalities"]],
        "certified accuracy (sound = guaranteed; estimated = paper's practice, not a guarantee), target all:",
        *[f"  {p['bound']:<10} ε={p['eps']:<6} {pct(p['acc'])}" for p in r["certified"] if p["target"] == "all"],
        f"median joint radius: sound {r['median_radius']['sound']}, estimated {r['median_radius']['estimated']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = parse_args(argv)
        if "help" in args:
            print(USAGE)
            return 0
        o = cli_options(args)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    dist = setup(o["device"])
    log = print_log(dist.rank)
    try:
        result = run(o, dist, log)
        if dist.is_main:
            print(summary(result))
            if o["out"]:
                write_result(o["out"], result)
                print(f"\nwrote {o['out']}")
        return 0
    except (DataError, ConfigError, TrainingDiverged, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        teardown(dist)


if __name__ == "__main__":
    sys.exit(main())
