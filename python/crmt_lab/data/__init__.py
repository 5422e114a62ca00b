"""The lab's data formats and preparation (src/core/data): readers, split, standardisation."""

from .dataset import SPLIT_CODE, DataError, Dataset, ModalitySpec
from .load import load_data
from .standardise import Standardisation, apply_standardisation, training_statistics

__all__ = [
    "SPLIT_CODE",
    "DataError",
    "Dataset",
    "ModalitySpec",
    "Standardisation",
    "apply_standardisation",
    "load_data",
    "training_statistics",
]
