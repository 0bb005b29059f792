"""The DNI paper's own feed-forward numbers, as data (RESEARCH.md §5, Table 1 of arXiv v1).

Final test error (%) after 500k iterations, read from two independent copies of the
paper that agree. Depth is the paper's count: "n layers" = n − 1 hidden layers + the
output layer. Each entry maps (net, layers) to the errors of the four methods in
``PAPER_METHODS`` order.
"""

PAPER_METHODS = ("no-bprop", "bprop", "dni", "cdni")
PAPER_ITERATIONS = 500_000

MNIST = {
    ("fcn", 3): (9.3, 2.0, 1.9, 2.2),
    ("fcn", 4): (12.6, 1.8, 2.2, 1.9),
    ("fcn", 5): (16.2, 1.8, 3.4, 1.7),
    ("fcn", 6): (21.4, 1.8, 4.3, 1.6),
    ("cnn", 3): (0.9, 0.8, 0.9, 1.0),
    ("cnn", 4): (2.8, 0.6, 0.7, 0.8),
}

CIFAR10 = {
    ("fcn", 3): (54.9, 43.5, 42.5, 48.5),
    ("fcn", 4): (57.2, 43.0, 45.0, 45.1),
    ("fcn", 5): (59.6, 41.7, 46.9, 43.5),
    ("fcn", 6): (61.9, 42.0, 49.7, 46.8),
    ("cnn", 3): (28.7, 17.9, 19.5, 19.0),
    ("cnn", 4): (38.1, 15.7, 19.5, 16.4),
}


def paper_error(dataset: str, net: str, layers: int, method: str) -> float | None:
    """The paper's test error for one cell of Table 1, or None where the table has none."""
    table = {"mnist": MNIST, "cifar-10": CIFAR10}[dataset]
    row = table.get((net, layers))
    if row is None or method not in PAPER_METHODS:
        return None
    return row[PAPER_METHODS.index(method)]
