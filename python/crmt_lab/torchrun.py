"""`python -m crmt_lab.torchrun …` = `torchrun …`, for torch 1.13 on Python 3.11 (Debian bookworm).

torch 1.13's torchrun parses its `--redirects`/`--tee` values by iterating the IntFlag `Std`; from
Python 3.11 on, that iteration skips the zero and composite members, so the default "0" parses to
None and torchrun crashes before starting a worker ("'NoneType' object has no attribute 'get'").
torch 2.0 fixed it upstream. This shim replaces only that parser and then runs torchrun's own main:
every flag, the rendezvous and the elastic agent are torchrun's.
"""

from __future__ import annotations

import re
import sys

from torch.distributed.elastic.multiprocessing import api


def _from_str(vm: str):
    if re.match(api._VALUE_REGEX, vm):
        return api.Std(int(vm))
    if re.match(api._MAPPING_REGEX, vm):
        return {int(i): api.Std(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
    raise ValueError(f"{vm} does not match: <{api._VALUE_REGEX}> or <{api._MAPPING_REGEX}>")


def main() -> None:
    if api.Std.from_str("0") is None:
        api.Std.from_str = staticmethod(_from_str)
    from torch.distributed.run import main as torchrun_main

    torchrun_main()


if __name__ == "__main__":
    sys.exit(main())
