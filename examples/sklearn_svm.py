"""Support-vector classifier tuned with scikit-learn."""

import numpy as np
from scipy.stats import uniform
from sklearn.datasets import make_classification
from sklearn.linear_model import Lasso
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.svm import SVC

X, y = make_classification(n_samples=500, n_features=20, random_state=0)

param_grid = {
    "C": np.linspace(0.01, 30, 50),
    "gamma": np.logspace(-4, 1, 6),
    "kernel": ["rbf", "sigmoid"],
}
search = GridSearchCV(SVC(), param_grid, cv=5, n_jobs=-1)
search.fit(X, y)

lasso = RandomizedSearchCV(Lasso(), {"alpha": uniform(0.0001, 1.0)}, n_iter=40, cv=5)
lasso.fit(X, y)

print(search.best_params_, lasso.best_params_)
