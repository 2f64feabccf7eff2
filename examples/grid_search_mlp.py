"""Tune a small MLP on tabular data with an exhaustive grid."""

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def make_model(hidden: int, dropout: float) -> nn.Module:
    return nn.Sequential(nn.Linear(20, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, 2))


def train_and_evaluate(lr, batch_size, weight_decay, dropout, train_ds, val_ds, epochs=20):
    model = make_model(128, dropout)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    loader = DataLoader(train_ds, batch_size=batch_size, shuffle=True)
    for epoch in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        x, y = val_ds.tensors
        return (model(x).argmax(1) == y).float().mean().item()


def main():
    x = torch.randn(2000, 20)
    y = (x[:, 0] + x[:, 1] > 0).long()
    train_ds, val_ds = TensorDataset(x[:1600], y[:1600]), TensorDataset(x[1600:], y[1600:])

    learning_rates = np.linspace(0.0001, 0.01, 5)
    batch_sizes = [16, 32, 64, 128, 256]
    weight_decays = [0.0, 1e-5, 1e-4, 1e-3, 1e-2]
    dropouts = [0.0, 0.2, 0.4, 0.6, 0.8]

    best = (0.0, None)
    for lr in learning_rates:
        for batch_size in batch_sizes:
            for wd in weight_decays:
                for dropout in dropouts:
                    acc = train_and_evaluate(lr, batch_size, wd, dropout, train_ds, val_ds)
                    if acc > best[0]:
                        best = (acc, (lr, batch_size, wd, dropout))
    print("best", best)


if __name__ == "__main__":
    main()
