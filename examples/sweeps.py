"""A Keras Tuner model and a Weights & Biases sweep."""

import keras
import keras_tuner
import numpy as np

sweep_config = {
    "method": "random",
    "metric": {"name": "val_loss", "goal": "minimize"},
    "parameters": {
        "learning_rate": {"distribution": "uniform", "min": 0.0001, "max": 0.1},
        "dropout": {"distribution": "uniform", "min": 0.0, "max": 0.5},
    },
}


def build_model(hp):
    model = keras.Sequential()
    model.add(keras.layers.Dense(hp.Int("units", 32, 256, step=32), activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    learning_rate = hp.Float("learning_rate", min_value=1e-5, max_value=1e-2)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy")
    return model


tuner = keras_tuner.RandomSearch(build_model, objective="val_loss", max_trials=30)
lr_grid = np.logspace(1e-4, 1e-2, 5)
