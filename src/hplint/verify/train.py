"""Batched training of small MLPs: many configurations in one tensor program.

K models with stacked weights share every minibatch, so a sweep over K
learning rates costs little more than one training on a 2-core CPU. Each model
is trained with ``torch.optim.SGD`` (momentum 0.9); its own learning rate and
weight decay enter through the loss, scaled per model: the gradient of
``sum_k lr_k * (L_k + wd_k/2 |W_k|^2)`` with respect to model k's weights is
exactly ``lr_k * (grad L_k + wd_k W_k)``, which SGD with ``lr=1`` applies as
SGD with ``lr_k`` and coupled weight decay ``wd_k``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import torch
import torch.nn.functional as F

INPUTS = 16
CLASSES = 4
MAX_WIDTH = 128
MOMENTUM = 0.9


@dataclass(frozen=True)
class Config:
    """One training run's hyperparameters."""

    lr: float
    batch_size: int = 64
    width: int = 64
    weight_decay: float = 0.0


@dataclass(frozen=True)
class Dataset:
    """Train and validation tensors of one seeded task."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor


def make_dataset(seed: int, n_train: int, n_val: int, device: str) -> Dataset:
    """A 4-class task labelled by a random two-layer teacher, with 10% label noise.

    The teacher is nonlinear, so the student has to train for real; the noise
    keeps validation accuracy below 100% so configurations stay distinguishable.
    """
    gen = torch.Generator().manual_seed(10_000 + seed)
    n = n_train + n_val
    x = torch.randn(n, INPUTS, generator=gen)
    w1 = torch.randn(INPUTS, 32, generator=gen) / INPUTS**0.5
    w2 = torch.randn(32, CLASSES, generator=gen) / 32**0.5
    y = (torch.tanh(2.0 * x @ w1) @ w2).argmax(dim=1)
    noisy = torch.rand(n, generator=gen) < 0.10
    y = torch.where(noisy, torch.randint(0, CLASSES, (n,), generator=gen), y)
    x, y = x.to(device), y.to(device)
    return Dataset(x[:n_train], y[:n_train], x[n_train:], y[n_train:])


def _init(k: int, seed: int, device: str) -> list[torch.Tensor]:
    """The same initial weights for all K models of a seed (width is a mask)."""
    gen = torch.Generator().manual_seed(20_000 + seed)
    w1 = torch.randn(INPUTS, MAX_WIDTH, generator=gen) * (2.0 / INPUTS) ** 0.5
    w2 = torch.randn(MAX_WIDTH, CLASSES, generator=gen)
    params = [
        w1.expand(k, -1, -1),
        torch.zeros(k, 1, MAX_WIDTH),
        w2.expand(k, -1, -1),
        torch.zeros(k, 1, CLASSES),
    ]
    return [p.clone().to(device).requires_grad_(True) for p in params]


def _forward(params: Sequence[torch.Tensor], mask: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    w1, b1, w2, b2 = params
    hidden = torch.relu(torch.matmul(x, w1) + b1) * mask
    return torch.baddbmm(b2, hidden, w2)


def _predict(params: Sequence[torch.Tensor], mask: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Predicted classes, [K, n]; a diverged model's non-finite logits count as zeros."""
    with torch.no_grad():
        logits = _forward(params, mask, x)
        return torch.nan_to_num(logits, nan=0.0, posinf=0.0, neginf=0.0).argmax(dim=2)


def _accuracy(params: Sequence[torch.Tensor], mask: torch.Tensor, data: Dataset) -> torch.Tensor:
    return (_predict(params, mask, data.x_val) == data.y_val).float().mean(dim=1)


def _train(
    configs: Sequence[Config], data: Dataset, epochs: int, seed: int, device: str
) -> Iterator[tuple[list[torch.Tensor], torch.Tensor]]:
    """Train all configs (one batch size) together; yield the weights and width mask after each epoch."""
    batch_sizes = {c.batch_size for c in configs}
    if len(batch_sizes) != 1:
        raise ValueError("train_curves needs one batch size; use train_final for mixed ones")
    batch = batch_sizes.pop()
    k = len(configs)
    params = _init(k, seed, device)
    lr = torch.tensor([c.lr for c in configs], device=device)
    wd = torch.tensor([c.weight_decay for c in configs], device=device)
    widths = torch.tensor([c.width for c in configs], device=device)
    mask = (torch.arange(MAX_WIDTH, device=device) < widths[:, None]).float()[:, None, :]
    w2_scale = (1.0 / widths.float().sqrt())[:, None, None]
    with torch.no_grad():
        params[2].mul_(w2_scale)
    optimizer = torch.optim.SGD(params, lr=1.0, momentum=MOMENTUM)
    order_gen = torch.Generator().manual_seed(30_000 + seed)
    n = data.x_train.shape[0]
    for _ in range(epochs):
        order = torch.randperm(n, generator=order_gen).to(device)
        for start in range(0, n - batch + 1, batch):
            idx = order[start:start + batch]
            logits = _forward(params, mask, data.x_train[idx])
            losses = F.cross_entropy(
                logits.reshape(-1, CLASSES), data.y_train[idx].repeat(k), reduction="none"
            ).view(k, -1).mean(dim=1)
            decay = 0.5 * ((params[0] ** 2).sum(dim=(1, 2)) + (params[2] ** 2).sum(dim=(1, 2)))
            optimizer.zero_grad(set_to_none=True)
            (lr * (losses + wd * decay)).sum().backward()
            optimizer.step()
        yield params, mask


def train_curves(
    configs: Sequence[Config], data: Dataset, epochs: int, seed: int, device: str
) -> Iterator[torch.Tensor]:
    """Train all configs (one batch size) together; yield validation accuracies after each epoch.

    A caller may stop iterating early (a pruned trial): the rest is never computed.
    """
    for params, mask in _train(configs, data, epochs, seed, device):
        yield _accuracy(params, mask, data)


def train_correct(
    configs: Sequence[Config], data: Dataset, epochs: int, seed: int, device: str, x: torch.Tensor, y: torch.Tensor
) -> torch.Tensor:
    """After ``epochs`` epochs, whether each config classifies each of ``x`` right: a [K, n] bool tensor.

    For demos that score one training on several held-out sets (validation, test, fresh data).
    """
    states = list(_train(configs, data, epochs, seed, device))  # each epoch yields the same tensors, updated
    if not states:
        raise ValueError("train_correct needs at least one epoch")
    params, mask = states[-1]
    chunks = [_predict(params, mask, part) for part in torch.split(x, 2048)]  # bounded memory
    return torch.cat(chunks, dim=1) == y


def train_final(configs: Sequence[Config], data: Dataset, epochs: int, seed: int, device: str) -> list[float]:
    """Final validation accuracy of each config, grouping configs by batch size."""
    result = [0.0] * len(configs)
    by_batch: dict[int, list[int]] = {}
    for i, c in enumerate(configs):
        by_batch.setdefault(c.batch_size, []).append(i)
    for indices in by_batch.values():
        accuracy = torch.zeros(len(indices))
        for curve_point in train_curves([configs[i] for i in indices], data, epochs, seed, device):
            accuracy = curve_point  # the curves end at the last epoch's accuracy
        for i, value in zip(indices, accuracy.tolist()):
            result[i] = float(value)
    return result
