"""`python -m crmt_lab.train …` or `torchrun --nproc_per_node N -m crmt_lab.train …`: the lab's
experiment (`npm run experiment`) on PyTorch, with the same flags, model files and result JSON."""

from __future__ import annotations

import copy
import sys
import time

import torch

from .attack_cost import attack_cost
from .cli import COMMAND, UsageError, experiment_cli, usage
from .data import DataError, apply_standardisation, load_data, training_statistics
from .data.dataset import default_modalities, select_modalities
from .data.standardise import Standardisation
from .distributed import setup, teardown
from .evaluate import certify, collect_outputs, evaluate_split, preference, robustness, split_tensors
from .experiment_json import ConfigError, experiment_from_json
from .export import export_model, model_data_mismatch, read_model_files, write_model_files
from .params import get_at, set_at
from .results import experiment_result, write_result
from .summary import summary
from .trainer import Trainer, TrainingDiverged, print_log


def _weights_experiment(mconf: dict, config: dict, flagged: set[str]) -> dict:
    """The model's own experiment; the data and modalities, and what the command line set itself, override it
    (src/cli/experiment.ts). Version 1 of config.json kept only the training settings, as `train`."""
    legacy = mconf.get("format") == "crmt-lab-model/1"
    own = experiment_from_json(
        {"train": mconf["train"]} if legacy else mconf["experiment"], "config.json (its experiment)"
    )
    own["data"], own["modalities"] = config["data"], config["modalities"]
    for path in flagged:
        set_at(own, path, copy.deepcopy(get_at(config, path)))
    return own


def run(o: dict, dist, log) -> dict:
    config = o["config"]
    raw = load_data(o["data"], config["train"]["seed"])
    raw = select_modalities(raw, config["modalities"] or default_modalities(raw))
    stats = training_statistics(raw)
    model = None
    if o["weights"]:
        model, mconf = read_model_files(o["weights"])
        problem = model_data_mismatch(mconf, raw.modalities, raw.class_names)
        if problem:
            raise DataError(f"{o['weights']}: {problem}")
        config = _weights_experiment(mconf, config, o["flagged"])
        stats = Standardisation.from_json(mconf["standardisation"])
        log(f"loaded {mconf['method']} weights from {o['weights']}")
    t = config["train"]
    data = apply_standardisation(raw, stats)
    trainer = Trainer(data, config, dist, model, log)
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
            experiment=config,
            standardisation=stats,
        )
        write_model_files(o["export"], files)
        log(f"exported {', '.join(files)} to {o['export']}")
    train_seconds = time.perf_counter() - start
    names = [m.name for m in data.modalities]
    evaluated = split_tensors(data, o["eval_split"], dist.device)
    labels = evaluated.y.cpu().numpy()
    outputs = collect_outputs(model, evaluated.x, dist)
    eps = config["attack"]["eps"]
    cert = certify(model, outputs, labels, trainer.train.x, eps, dist)
    robust, eval_seconds, one_pass = robustness(model, evaluated, names, eps, config["attack"], t["seed"], dist)
    clean = evaluate_split(model, evaluated, dist)
    t0 = time.perf_counter()
    measured = attack_cost(model, evaluated, names, clean["accuracy"], config["attack"], t["seed"], dist)
    eval_seconds += time.perf_counter() - t0
    a = model.integration()
    backend = f"pytorch-{torch.__version__} {dist.device.type}" + (
        f" ×{dist.world} ({dist.backend})" if dist.active else ""
    )
    return experiment_result(
        experiment=config,
        dataset=data.name,
        backend=backend,
        names=names,
        standardisation=stats,
        split=o["eval_split"],
        samples=evaluated.n,
        clean=clean,
        robust=robust,
        cert=cert,
        integration=[v.detach().cpu().tolist() for v in a] if a else None,
        preference=preference(outputs, labels, cert.radii, names, measured),
        history=trainer.history,
        train_seconds=train_seconds,
        eval_seconds=eval_seconds,
        one_pgd_pass=one_pass,
    )


def main(argv: list[str] | None = None) -> int:
    """Exit status: 0 done, 1 bad data or a failed run, 2 a usage error (as `npm run experiment`)."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        o = experiment_cli(argv)
    except UsageError as e:
        print(f"error: {e}\nRun '{COMMAND} --help' for every option.", file=sys.stderr)
        return 2
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if o["help"]:
        print(usage())
        return 0
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
