"""Random spot checks (随机抽查): sample size, allocation, verifiable selection,
reserves and dispositions, manifest + verify, visit lists.

>>> from toolkit.sampling import Design, draw
>>> # sample = draw(roster.frame, Design(seed="2024088 福彩", strata=("county",), n=300, reserves=5))
"""
from toolkit.sampling.allocation import Allocation, StratumAllocation, allocate, per_stratum
from toolkit.sampling.manifest import Difference, Verification, build as build_manifest, \
    dumps as dump_manifest, fingerprint, load as load_manifest, verify
from toolkit.sampling.pps import inclusion_probabilities, systematic
from toolkit.sampling.reserves import DISPOSITIONS, RR_DEFINITION, ResponseRate, check_dispositions, \
    next_reserve, response_rate
from toolkit.sampling.select import Design, Sample, draw
from toolkit.sampling.size import ProportionSize, ZeroFailureSize, proportion_size, zero_failure_size
from toolkit.sampling.tickets import ALGORITHM_VERSION, ticket_hex

__all__ = [
    "Allocation", "StratumAllocation", "allocate", "per_stratum",
    "Difference", "Verification", "build_manifest", "dump_manifest", "fingerprint", "load_manifest", "verify",
    "inclusion_probabilities", "systematic",
    "DISPOSITIONS", "RR_DEFINITION", "ResponseRate", "check_dispositions", "next_reserve", "response_rate",
    "Design", "Sample", "draw",
    "ProportionSize", "ZeroFailureSize", "proportion_size", "zero_failure_size",
    "ALGORITHM_VERSION", "ticket_hex",
]
