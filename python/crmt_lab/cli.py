"""The command line (src/cli/experimentOptions.ts): the lab's run options, one flag per parameter of the
table, `--config FILE` with the flags overriding it, and the Python engine's own --device and --select.
A usage error names the flag and exits with status 2, as `npm run experiment` does."""

from __future__ import annotations

from .experiment_json import read_experiment_file
from .params import (
    BUILTIN_DATA,
    FLAG_PARAMS,
    GROUP_TITLES,
    RUN_OPTIONS,
    ParamError,
    default_experiment,
    format_default,
    parse_text,
    set_at,
)

COMMAND = "python -m crmt_lab.train"

#: The Python engine's own run options, beside the lab's.
ENGINE_OPTIONS = [
    {"name": "device", "type": "string", "value": "NAME", "help": "auto (the GPU when there is one), cpu or cuda"},
    {
        "name": "select",
        "type": "string",
        "value": "RULE",
        "help": "last (the lab's rule) or best-val: the main phase's epoch with the best validation accuracy",
    },
]
BACKENDS = ("auto", "webgpu", "webgl", "wasm", "cpu")


class UsageError(ValueError):
    """A mistake in the command line: printed with the usage hint, exit status 2."""


def _option_types() -> dict[str, str]:
    types = {o["name"]: o["type"] for o in RUN_OPTIONS + ENGINE_OPTIONS}
    for p in FLAG_PARAMS:
        types[p["flag"]] = "boolean" if p["type"] == "bool" else "string"
        if p["type"] == "bool":
            types[f"no-{p['flag']}"] = "boolean"
    return types


def parse_argv(argv: list[str]) -> dict[str, str | bool]:
    """node:util parseArgs in strict mode, without positionals: `--name value`, `--name=value`, `--flag`."""
    types = _option_types()
    shorts = {o["short"]: o["name"] for o in RUN_OPTIONS if "short" in o}
    values: dict[str, str | bool] = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg.startswith("--") and len(arg) > 2:
            name, eq, inline = arg[2:].partition("=")
        elif arg.startswith("-") and len(arg) == 2 and arg[1] in shorts:
            name, eq, inline = shorts[arg[1]], "", ""
        elif arg.startswith("-") and arg != "-":
            raise UsageError(f"Unknown option '{arg}'.")
        else:
            raise UsageError(f"Unexpected argument '{arg}'. This command does not take positional arguments")
        if name not in types:
            raise UsageError(f"Unknown option '--{name}'.")
        if types[name] == "boolean":
            if eq:
                raise UsageError(f"Option '--{name}' does not take an argument")
            values[name] = True
            continue
        if eq:
            values[name] = inline
            continue
        if i >= len(argv):
            raise UsageError(f"Option '--{name} <value>' argument missing")
        value = argv[i]
        i += 1
        if value.startswith("-"):
            raise UsageError(
                f"Option '--{name}' argument is ambiguous.\nDid you forget to specify the option argument for "
                f"'--{name}'?\nTo specify an option argument starting with a dash use '--{name}=-XYZ'."
            )
        values[name] = value
    return values


def _choice(values: dict, name: str, allowed: tuple[str, ...]) -> str:
    v = values.get(name, allowed[0])
    if v not in allowed:
        words = ", ".join(allowed[:-1]) + f" or {allowed[-1]}"
        raise UsageError(f'--{name}: "{v}" is not {words}.')
    return v


def experiment_cli(argv: list[str]) -> dict:
    """Reads the command line: {help, config, data, out, export, weights, eval_split, device, select, flagged}."""
    values = parse_argv(argv)
    o = {
        "help": bool(values.get("help")),
        "out": values.get("out"),
        "export": values.get("export"),
        "weights": values.get("weights"),
        "flagged": set(),
    }
    if o["help"]:
        return o
    # The lab's backends mean nothing here, but a command line written for the lab still runs.
    _choice(values, "backend", BACKENDS)
    o["eval_split"] = _choice(values, "eval-split", ("test", "val"))
    o["device"] = _choice(values, "device", ("auto", "cpu", "cuda"))
    o["select"] = _choice(values, "select", ("last", "best-val"))
    config = read_experiment_file(values["config"]) if "config" in values else default_experiment()
    for p in FLAG_PARAMS:
        v = values.get(p["flag"])
        if v is None and values.get(f"no-{p['flag']}"):
            v = False
        if v is None:
            continue
        try:
            value = v if isinstance(v, bool) else parse_text(p, v)
        except ParamError as e:
            raise UsageError(f"--{p['flag']}: {e}.") from None
        set_at(config, p["path"], value)
        o["flagged"].add(p["path"])
    o["data"] = _data_folder(values.get("data"), config)
    o["config"] = config
    return o


def _data_folder(flag: str | None, config: dict) -> str:
    """--data names a folder; the lab's built-in generators live in the page and the Node CLI only."""
    if flag is not None and flag in BUILTIN_DATA:
        raise UsageError(
            f"--data: {flag} is generated by the lab (npm run experiment); the Python engine reads a paired-CSV "
            "or NumPy folder"
        )
    if flag is not None:
        config["data"] = {k: v for k, v in config["data"].items() if k != "uploadName"}
        config["data"]["kind"] = "upload"
        return flag
    if config["data"]["kind"] == "upload":
        raise UsageError(
            f"the experiment was run on the uploaded dataset \"{config['data'].get('uploadName', '?')}\": "
            "give its folder with --data"
        )
    raise UsageError(
        f"the experiment runs on the lab's generated {config['data']['kind']} dataset, which only the lab "
        "generates: give a paired-CSV or NumPy folder with --data"
    )


def _placeholder(p: dict) -> str:
    t = p["type"]
    if t == "bool":
        return ""
    if t == "enum":
        return " " + "|".join(p["options"])
    return {"int": " N", "number": " X"}.get(t, " LIST")


def usage() -> str:
    """Every option and every parameter of the table, with its default and help (as `npm run experiment -- --help`)."""

    def line(flag: str, text: str) -> str:
        head = f"  {flag}"
        return f"{head:<28}{text}" if len(head) < 28 else f"{head}\n{' ' * 28}{text}"

    lines = [f"Usage: {COMMAND} --data FOLDER [--config experiment.json] [options]", "", "Run options:"]
    for o in RUN_OPTIONS + ENGINE_OPTIONS:
        short = f"-{o['short']}, " if "short" in o else ""
        value = f" {o['value']}" if "value" in o else ""
        lines.append(line(f"{short}--{o['name']}{value}", o["help"]))
    group = ""
    for p in FLAG_PARAMS:
        if p["group"] != group:
            group = p["group"]
            lines += ["", f"{GROUP_TITLES.get(group, group)}:"]
        lines.append(line(f"--{p['flag']}{_placeholder(p)}", f"{p['help']} [default: {format_default(p)}]"))
    lines += [
        "",
        'Lists: 64-32, 64,32 or "64 32". Booleans: --flag or --no-flag. Every value is checked as in the page.',
        "--data takes a paired-CSV or NumPy folder; --backend is the lab's and is accepted and ignored here.",
    ]
    return "\n".join(lines)
