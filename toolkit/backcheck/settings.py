"""``[backcheck]`` in evaluation.toml: thresholds and draw weights, with defaults.

```toml
[backcheck]
share = 0.15                  # share of completed visits re-interviewed
min_per_enumerator = 2        # at least this many per interviewer
weight_finding = 2.0          # a household with a finding is this much more likely drawn
weight_nonresponse = 2.0      # refusal / not at home / moved: "was the household really there?"
threshold_type1 = 0.10        # an interviewer or household above this type-1 error rate is flagged
threshold_type2 = 0.20
threshold_type3 = 0.30
alpha = 0.05                  # family-wise level of the interviewer / back-checker tests (Holm)
```
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from toolkit.errors import UserError


@dataclass(frozen=True)
class BackcheckSettings:
    """See the module doc; rates are shares (0.10 = 10 %)."""

    share: float = 0.15
    min_per_enumerator: int = 2
    weight_finding: float = 2.0
    weight_nonresponse: float = 2.0
    threshold_type1: float = 0.10
    threshold_type2: float = 0.20
    threshold_type3: float = 0.30
    alpha: float = 0.05

    def threshold(self, type_: int) -> float:
        """The error-rate threshold of comparison type 1, 2 or 3."""
        return {1: self.threshold_type1, 2: self.threshold_type2, 3: self.threshold_type3}[int(type_)]

    @classmethod
    def from_mapping(cls, table: dict | None) -> BackcheckSettings:
        """From the ``[backcheck]`` table; an unknown key or a bad value is a UserError."""
        table = dict(table or {})
        known = {f.name: f for f in fields(cls)}
        out = {}
        for k, v in table.items():
            if k not in known:
                raise UserError("backcheck.bad_setting", key=k, value=v)
            try:
                val = int(v) if known[k].type in ("int", int) else float(v)
            except (TypeError, ValueError):
                raise UserError("backcheck.bad_setting", key=k, value=v) from None
            out[k] = val
        s = cls(**out)
        ok = (0 < s.share <= 1 and s.min_per_enumerator >= 0 and s.weight_finding > 0
              and s.weight_nonresponse > 0 and 0 < s.alpha < 1
              and all(0 <= x <= 1 for x in (s.threshold_type1, s.threshold_type2, s.threshold_type3)))
        if not ok:
            raise UserError("backcheck.bad_setting", key="backcheck", value=str(table))
        return s

    @classmethod
    def of(cls, evaluation: object) -> BackcheckSettings:
        """The project's settings (``evaluation.extra['backcheck']``)."""
        extra = getattr(evaluation, "extra", None) or {}
        return cls.from_mapping(extra.get("backcheck") if isinstance(extra, dict) else None)
