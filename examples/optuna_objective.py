"""Optuna search for a CNN's optimiser settings."""

import optuna
import torch
from torch import nn


def build(trial):
    n_layers = trial.suggest_int("n_layers", 1, 4)
    width = trial.suggest_categorical("width", [64, 128, 256])
    layers = []
    for _ in range(n_layers):
        layers += [nn.LazyLinear(width), nn.ReLU()]
    return nn.Sequential(*layers, nn.LazyLinear(10))


def objective(trial):
    model = build(trial)
    lr = trial.suggest_float("lr", 1e-5, 1e-1)
    weight_decay = trial.suggest_loguniform("weight_decay", 1e-6, 1e-2)
    momentum = trial.suggest_uniform("momentum", 0.8, 0.99)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, weight_decay=weight_decay)

    x, y = torch.randn(512, 32), torch.randint(0, 10, (512,))
    for epoch in range(50):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        val_acc = (model(x).argmax(1) == y).float().mean().item()
    return val_acc


if __name__ == "__main__":
    study = optuna.create_study(direction="maximize")
    study.optimize(objective, n_trials=8)
    print(study.best_params)
