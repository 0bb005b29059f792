"""Loss functions, built from primitives so both modes and every order work."""

from __future__ import annotations

import numpy as np

from ..errors import ShapeError
from ..ops import PRIMITIVES
from ..tensor import Tensor, apply


def mse_loss(prediction: Tensor, target) -> Tensor:
    """Mean squared error: (1/n) Σ (prediction − target)², over every element."""
    target = target if isinstance(target, Tensor) else Tensor(target, dtype=prediction.dtype)
    if prediction.shape != target.shape:
        raise ShapeError(f"mse_loss: prediction has shape {prediction.shape} but target has "
                         f"shape {target.shape}; they must match")
    difference = prediction - target
    return (difference * difference).mean()


def class_labels(labels, batch_size: int, num_classes: int) -> np.ndarray:
    """``labels`` as an int array of shape (batch_size,), each in 0..num_classes−1."""
    labels = labels.numpy() if isinstance(labels, Tensor) else np.asarray(labels)
    if labels.shape != (batch_size,):
        raise ShapeError(f"cross_entropy: labels have shape {labels.shape}; expected ({batch_size},), "
                         "one class index per row of logits")
    if labels.dtype.kind not in "iu":
        if labels.dtype.kind != "f" or not np.all(labels == np.round(labels)):
            raise ShapeError(f"cross_entropy: labels must be class indices (integers), got {labels.dtype}")
        labels = labels.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ShapeError(f"cross_entropy: labels must lie in 0..{num_classes - 1}, "
                         f"found {labels.min()}..{labels.max()}")
    return labels


def cross_entropy(logits: Tensor, labels) -> Tensor:
    """Softmax cross-entropy from logits, averaged over the batch.

    For one row z with true class y:  L = −log softmax(z)_y = logsumexp(z) − z_y.
    The log softmax subtracts max(z) before exponentiating, so large logits
    never overflow. Its gradient is softmax(z) − onehot(y) (divided by the batch size).

    One fused primitive (``softmax_cross_entropy``, ops/softmax.py): one node in
    the graph and one rule in backward instead of the composite's log softmax,
    pick, sum, division and negation (``cross_entropy_composite`` below, the
    lesson's version: the same values and gradients). An older measurement
    found fusing not worth a primitive (3 % of the 784-256-256-10 MLP step);
    once the engine's other per-operation costs were cut, the composite's
    recorded operations and their rules were a larger share. The training step
    (784-256-256-10, batch 64, float32, SGD), × raw NumPy, medians of 3 × 15
    interleaved rounds (issue 17): 1.17 with the composite of the seven-step log
    softmax, 1.13 with the fused log softmax and the rest composite, 1.10 fused.
    """
    if logits.ndim != 2:
        raise ShapeError(f"cross_entropy: logits must have shape (batch, classes), got {logits.shape}")
    batch_size, num_classes = logits.shape
    labels = class_labels(labels, batch_size, num_classes)
    return apply(PRIMITIVES["softmax_cross_entropy"], logits, labels=labels)


def cross_entropy_composite(logits: Tensor, labels) -> Tensor:
    """``cross_entropy`` built from primitives: log softmax, integer-array indexing, mean, negation.

    Every step is a node of the graph (a drawing shows them), every derivative
    comes from their rules; ``cross_entropy`` is the same function as one fused primitive."""
    if logits.ndim != 2:
        raise ShapeError(f"cross_entropy: logits must have shape (batch, classes), got {logits.shape}")
    batch_size, num_classes = logits.shape
    labels = class_labels(labels, batch_size, num_classes)
    picked = logits.log_softmax(axis=1)[np.arange(batch_size), labels]
    return -picked.mean()
