"""Decoding a trained CRFsuite model: best tags and per-character marginals, compiled with numba.

CRFsuite's own tagger spends nearly all of a page's time turning each of the
~20 feature strings per character into an attribute id (its Viterbi takes a
thirtieth of that).  Here the model's weights are read once into arrays; the
caller gives each character's attributes as row numbers of those arrays
(tagger.py finds them without making most of the strings), and the Viterbi
path and the forward-backward marginals are numba-compiled loops.  The algorithms are
CRFsuite's (``crf1d_context.c``): the same scores, the same tie-breaking (the
first best label wins), the same scaled forward-backward, so the tags are the
same as CRFsuite's (tests compare them).

Compiled code is cached beside this module (numba's ``cache=True``), so only
the first process after an install pays the compile (a few seconds).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit


@dataclass(frozen=True)
class CrfModel:
    """A linear-chain CRF's weights as arrays; read-only, so one is shared by every thread."""

    labels: tuple[str, ...]  # label of each row of the weights, in CRFsuite's order
    attribute_rows: dict[str, int]  # attribute (feature string) -> its row of state_weights
    state_weights: np.ndarray  # (attributes + 1, labels); the last row, all zeros, is any unknown attribute
    transition_weights: np.ndarray  # (labels, labels): from label i to label j

    @classmethod
    def from_crfsuite(cls, model: bytes) -> CrfModel:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(model)
        info = tagger.info()
        labels = tuple(sorted(info.labels, key=lambda label: int(info.labels[label])))
        label_id = {label: i for i, label in enumerate(labels)}
        rows: dict[str, int] = {}
        for attribute, _ in info.state_features:
            rows.setdefault(attribute, len(rows))
        state = np.zeros((len(rows) + 1, len(labels)))
        for (attribute, label), weight in info.state_features.items():
            state[rows[attribute], label_id[label]] = weight
        transitions = np.zeros((len(labels), len(labels)))
        for (source, target), weight in info.transitions.items():
            transitions[label_id[source], label_id[target]] = weight
        return cls(labels, rows, state, transitions)

    def decode(self, rows: np.ndarray, scored: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The label index of each character on the highest-scoring sequence, and (``scored``, when
        the path names anything) each character's marginal probability of its label on it.

        ``rows`` holds the row of ``state_weights`` of each of a character's
        attributes, one line per character.  One compiled call: state scores,
        Viterbi and forward-backward (a short text's time was mostly the calls).
        """
        return _decode(rows, self.state_weights, self.transition_weights, self.labels.index("O"), scored)


@njit(cache=True)
def _decode(rows, weights, trans, outside, scored):
    state = _state_scores(rows, weights)
    path = _viterbi(state, trans)
    chosen = np.zeros(0)
    if scored and (path != outside).any():
        marginals = _marginals(state, trans)
        chosen = np.empty(len(path))
        for t in range(len(path)):
            chosen[t] = marginals[t, path[t]]
    return path, chosen


@njit(cache=True)
def _state_scores(rows, weights):
    n, width = rows.shape
    labels = weights.shape[1]
    scores = np.zeros((n, labels))
    for t in range(n):
        for k in range(width):
            row = rows[t, k]
            for y in range(labels):
                scores[t, y] += weights[row, y]
    return scores


@njit(cache=True)
def _viterbi(state, trans):
    n, labels = state.shape
    path = np.zeros(n, dtype=np.int64)
    if n == 0:
        return path
    score = np.empty((n, labels))
    back = np.zeros((n, labels), dtype=np.int64)
    score[0] = state[0]
    for t in range(1, n):
        for j in range(labels):
            best, argbest = -np.inf, 0
            for i in range(labels):
                s = score[t - 1, i] + trans[i, j]
                if best < s:
                    best, argbest = s, i
            score[t, j] = best + state[t, j]
            back[t, j] = argbest
    best, argbest = -np.inf, 0
    for j in range(labels):
        if best < score[n - 1, j]:
            best, argbest = score[n - 1, j], j
    path[n - 1] = argbest
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


@njit(cache=True)
def _marginals(state, trans):
    # forward-backward on exponentiated scores, each position rescaled to sum 1 (as CRFsuite);
    # a position's largest score is subtracted first, which the rescaling cancels
    n, labels = state.shape
    exp_state = np.empty((n, labels))
    for t in range(n):
        top = state[t].max()
        for y in range(labels):
            exp_state[t, y] = np.exp(state[t, y] - top)
    exp_trans = np.exp(trans)
    alpha = np.zeros((n, labels))
    beta = np.zeros((n, labels))
    scale = np.ones(n)
    if n == 0:
        return alpha
    alpha[0] = exp_state[0]
    scale[0] = 1.0 / alpha[0].sum()
    alpha[0] *= scale[0]
    for t in range(1, n):
        for j in range(labels):
            total = 0.0
            for i in range(labels):
                total += alpha[t - 1, i] * exp_trans[i, j]
            alpha[t, j] = total * exp_state[t, j]
        scale[t] = 1.0 / alpha[t].sum()
        alpha[t] *= scale[t]
    beta[n - 1] = scale[n - 1]
    for t in range(n - 2, -1, -1):
        for i in range(labels):
            total = 0.0
            for j in range(labels):
                total += exp_trans[i, j] * exp_state[t + 1, j] * beta[t + 1, j]
            beta[t, i] = total * scale[t]
    out = np.empty((n, labels))
    for t in range(n):
        for y in range(labels):
            out[t, y] = alpha[t, y] * beta[t, y] / scale[t]
    return out
