"""DNI: decoupled neural interfaces with synthetic gradients (Jaderberg et al. 2016).

* ``SyntheticGradient`` (interface.py): the cut at a tensor h; ĝ = M(h[, y]) is
  backpropagated into h's producer at once, M learns later from the gradient
  that really arrives (or from the next interface's prediction: bootstrapping).
* ``LinearPredictor`` / ``MLPPredictor`` (predictors.py): gradient models whose
  last layer starts at zero; cDNI conditions them on the one-hot label.
* ``SyntheticInput`` / ``InputModel`` (synthetic_inputs.py): ĥ = I(x), a module's
  input predicted from the data, regressed onto the real activation (forward unlocking).
* ``Timeline`` (locks.py): records a training step and names the locks
  (forward, update, backward) each module waited on.
* feedforward.py: FCNs (depth counted the paper's way) trained by No Bprop,
  Bprop, DNI or cDNI, with random update order or update probability p < 1.
* convnet.py: the same four methods for CNNs (conv blocks, a convolutional gradient
  model after each; cDNI's label as extra input channels).
* recurrent.py: an LSTM trained by truncated BPTT, with a synthetic gradient
  at the truncation boundary (bootstrapped) and the auxiliary task (Aux).
* tasks.py: Copy and Repeat Copy with a curriculum on the sequence length.
* workers.py: one process per layer, activations and gradients through queues.
* plots.py: loss curves and cos(ĝ, true gradient) over training.
"""

from .feedforward import (FCN, METHODS, SYNTHETIC_INPUT_METHODS, FeedForwardConfig, FeedForwardResult,
                          FeedForwardTrainer, train_feedforward)
from .convnet import CONV_METHODS, ConvNet, ConvNetConfig, ConvNetTrainer, train_convnet
from .interface import SyntheticGradient, cosine, handoff
from .locks import Timeline
from .recurrent import RECURRENT_METHODS, RecurrentConfig, RecurrentResult, RecurrentTrainer, train_recurrent
from .predictors import ConvPredictor, LinearPredictor, MLPPredictor, make_predictor, one_hot
from .synthetic_inputs import InputModel, SyntheticInput
from .tasks import TASKS, CopyTask, Curriculum, Episode, RepeatCopyTask, TaskError, make_task

__all__ = [
    "SyntheticGradient", "handoff", "cosine", "Timeline",
    "LinearPredictor", "MLPPredictor", "ConvPredictor", "make_predictor", "one_hot", "InputModel", "SyntheticInput",
    "FCN", "METHODS", "SYNTHETIC_INPUT_METHODS", "FeedForwardConfig", "FeedForwardResult", "FeedForwardTrainer",
    "train_feedforward", "CONV_METHODS", "ConvNet", "ConvNetConfig", "ConvNetTrainer", "train_convnet",
    "RECURRENT_METHODS", "RecurrentConfig", "RecurrentResult", "RecurrentTrainer", "train_recurrent",
    "TASKS", "CopyTask", "RepeatCopyTask", "Curriculum", "Episode", "TaskError", "make_task",
]
