"""Training: the loop and its history, checkpoints and resuming, curves, and the GO-UP Gaussian check."""

from .curves import plot_history
from .gaussian_check import normality, plot_gaussian_check, update_parts, update_statistics
from .loop import History, evaluate, fit, loss_of_parameters
from .resume import TrainingError
from ..backend.threads import single_blas_thread

__all__ = ["History", "evaluate", "fit", "loss_of_parameters", "plot_history", "TrainingError",
           "normality", "update_parts", "update_statistics", "plot_gaussian_check",
           "single_blas_thread"]
