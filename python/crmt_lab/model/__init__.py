"""Encoders, heads and the multi-modal model (src/core/model)."""

from .encoders import CnnEncoder, CustomEncoder, LinearFactor, MlpEncoder, nhwc_to_nchw
from .heads import CrmtHead, JointHead
from .model import ForwardOutput, MultiModalModel, build_model_spec, head_for

__all__ = [
    "CnnEncoder",
    "CrmtHead",
    "CustomEncoder",
    "ForwardOutput",
    "JointHead",
    "LinearFactor",
    "MlpEncoder",
    "MultiModalModel",
    "build_model_spec",
    "head_for",
    "nhwc_to_nchw",
]
