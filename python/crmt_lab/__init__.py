"""CRMT Lab on PyTorch: the lab's experiment (config, data formats, methods, model files, result
JSON) on an engine built for larger data, several processes and several machines."""

__version__ = "0.1.0"
