"""Tune batch size first, then the learning rate at the best batch size."""


def train(lr, batch_size):
    """Stand-in for a real training run that returns validation accuracy."""
    return 1.0 - abs(lr * 1000 - batch_size / 32) / 10


best_batch, best_acc = None, 0.0
for batch_size in [16, 32, 64, 128, 256]:
    acc = train(lr=0.001, batch_size=batch_size)
    if acc > best_acc:
        best_batch, best_acc = batch_size, acc

best_lr, best_acc = None, 0.0
for lr in [0.0001, 0.001, 0.01, 0.1]:
    acc = train(lr=lr, batch_size=best_batch)
    if acc > best_acc:
        best_lr, best_acc = lr, acc

print(best_batch, best_lr)
