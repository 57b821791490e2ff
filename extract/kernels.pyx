# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The extractor's compiled loops: n-gram keys and their rows (tagger.py), CRF decoding (crf.py).

Compiled when zhitu is installed, so a process imports them in a millisecond
(numba, which compiled them before, took ~0.4 s a process to import and to
load its cached code: most of the time a rebuild spends on a few new pages).
Each function fills arrays its caller made; the callers say what they hold.
"""
from libc.math cimport INFINITY, exp
from libc.stdint cimport int64_t, uint64_t

import numpy as np

cdef uint64_t EMPTY = 0xFFFFFFFFFFFFFFFFULL
EMPTY_SLOT = np.uint64(EMPTY)  # a free slot of the n-gram table (fill_table)
cdef uint64_t LOW_32 = 0xFFFFFFFFULL


def keys_of(const uint64_t[::1] text_codes, const uint64_t[::1] class_codes, Py_ssize_t first,
            const int64_t[::1] channel, const int64_t[:, ::1] offsets, const int64_t[::1] width,
            const uint64_t[::1] bits, uint64_t[:, ::1] keys):
    """keys[i, j]: the integer key of n-gram template j at character i (the text's characters start at
    ``first`` in the padded codes)."""
    cdef Py_ssize_t i, j, k
    cdef uint64_t key
    cdef const uint64_t* codes
    with nogil:
        for i in range(keys.shape[0]):
            for j in range(keys.shape[1]):
                codes = &text_codes[0] if channel[j] == 0 else &class_codes[0]
                key = 0
                for k in range(width[j]):
                    key = (key << bits[channel[j]]) | codes[first + i + offsets[j, k]]
                keys[i, j] = key


cdef inline Py_ssize_t _slot(uint64_t key, uint64_t template, uint64_t mask) noexcept nogil:
    cdef uint64_t mixed = (key ^ (template * <uint64_t>0x9E3779B97F4A7C15ULL)) * <uint64_t>0xBF58476D1CE4E5B9ULL
    return <Py_ssize_t>((mixed >> 40) & mask)


def fill_table(const uint64_t[::1] keys, const int64_t[::1] templates, const int64_t[::1] rows,
               uint64_t[:, ::1] table):
    """Put each (key of template, row) into the open-addressing table (a power of two of slots, all
    EMPTY_SLOT, at most half full): slot -> (key, template << 32 | row)."""
    cdef uint64_t mask = table.shape[0] - 1
    cdef Py_ssize_t p, slot
    with nogil:
        for p in range(keys.shape[0]):
            slot = _slot(keys[p], templates[p], mask)
            while table[slot, 1] != EMPTY:
                slot = (slot + 1) & mask
            table[slot, 0] = keys[p]
            table[slot, 1] = ((<uint64_t>templates[p]) << 32) | (<uint64_t>rows[p])


def find_rows(const uint64_t[:, ::1] wanted, const uint64_t[:, ::1] table, int64_t unknown, int64_t[:, ::1] out):
    """out[i, j]: the row of n-gram key wanted[i, j] of template j in the table, else ``unknown``
    (only the first wanted.shape[1] columns of out are written)."""
    cdef uint64_t mask = table.shape[0] - 1
    cdef Py_ssize_t i, j, slot
    cdef uint64_t key
    cdef int64_t found
    with nogil:
        for i in range(wanted.shape[0]):
            for j in range(wanted.shape[1]):
                key, slot, found = wanted[i, j], _slot(wanted[i, j], j, mask), unknown
                while table[slot, 1] != EMPTY:
                    if table[slot, 0] == key and (table[slot, 1] >> 32) == <uint64_t>j:
                        found = <int64_t>(table[slot, 1] & LOW_32)
                        break
                    slot = (slot + 1) & mask
                out[i, j] = found


def decode(const int64_t[:, ::1] rows, const double[:, ::1] weights, const double[:, ::1] trans,
           int64_t outside, bint scored):
    """The label index of each character on the best path (CRFsuite's Viterbi: the first best label
    wins ties) and, when ``scored`` and the path names anything, each character's marginal probability
    of its label (CRFsuite's scaled forward-backward); else an empty array."""
    cdef Py_ssize_t n = rows.shape[0], labels = weights.shape[1]
    state, path = np.zeros((n, labels)), np.zeros(n, dtype=np.int64)
    cdef double[:, ::1] s = state, score = np.empty((n, labels))
    cdef int64_t[:, ::1] back = np.zeros((n, labels), dtype=np.int64)
    cdef int64_t[::1] p = path
    cdef Py_ssize_t t, k, y
    cdef bint named = False
    with nogil:
        for t in range(n):
            for k in range(rows.shape[1]):
                for y in range(labels):
                    s[t, y] += weights[rows[t, k], y]
        if n:
            _viterbi(s, trans, score, back, p)
        for t in range(n):
            if p[t] != outside:
                named = True
                break
    if not (scored and named):
        return path, np.zeros(0)
    chosen = np.empty(n)
    cdef double[::1] c = chosen
    cdef double[:, ::1] m = _marginals(s, trans)
    for t in range(n):
        c[t] = m[t, p[t]]
    return path, chosen


cdef void _viterbi(const double[:, ::1] state, const double[:, ::1] trans, double[:, ::1] score,
                   int64_t[:, ::1] back, int64_t[::1] path) noexcept nogil:
    cdef Py_ssize_t n = state.shape[0], labels = state.shape[1], t, i, j
    cdef double best, s
    cdef int64_t argbest
    for j in range(labels):
        score[0, j] = state[0, j]
    for t in range(1, n):
        for j in range(labels):
            best, argbest = -INFINITY, 0
            for i in range(labels):
                s = score[t - 1, i] + trans[i, j]
                if best < s:
                    best, argbest = s, i
            score[t, j] = best + state[t, j]
            back[t, j] = argbest
    best, argbest = -INFINITY, 0
    for j in range(labels):
        if best < score[n - 1, j]:
            best, argbest = score[n - 1, j], j
    path[n - 1] = argbest
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]


cdef double[:, ::1] _marginals(const double[:, ::1] state, const double[:, ::1] trans):
    # forward-backward on exponentiated scores, each position rescaled to sum 1 (as CRFsuite);
    # a position's largest score is subtracted first, which the rescaling cancels
    cdef Py_ssize_t n = state.shape[0], labels = state.shape[1], t, i, j, y
    cdef double[:, ::1] exp_state = np.empty((n, labels))
    cdef double[:, ::1] exp_trans = np.empty((labels, labels))
    cdef double[:, ::1] alpha = np.zeros((n, labels))
    cdef double[:, ::1] beta = np.zeros((n, labels))
    cdef double[::1] scale = np.ones(n)
    cdef double[:, ::1] out = np.empty((n, labels))
    cdef double top, total
    with nogil:
        for i in range(labels):
            for j in range(labels):
                exp_trans[i, j] = exp(trans[i, j])
        for t in range(n):
            top = state[t, 0]
            for y in range(1, labels):
                if state[t, y] > top:
                    top = state[t, y]
            for y in range(labels):
                exp_state[t, y] = exp(state[t, y] - top)
        for y in range(labels):
            alpha[0, y] = exp_state[0, y]
        scale[0] = 1.0 / _row_sum(alpha, 0)
        for y in range(labels):
            alpha[0, y] *= scale[0]
        for t in range(1, n):
            for j in range(labels):
                total = 0.0
                for i in range(labels):
                    total += alpha[t - 1, i] * exp_trans[i, j]
                alpha[t, j] = total * exp_state[t, j]
            scale[t] = 1.0 / _row_sum(alpha, t)
            for y in range(labels):
                alpha[t, y] *= scale[t]
        for y in range(labels):
            beta[n - 1, y] = scale[n - 1]
        for t in range(n - 2, -1, -1):
            for i in range(labels):
                total = 0.0
                for j in range(labels):
                    total += exp_trans[i, j] * exp_state[t + 1, j] * beta[t + 1, j]
                beta[t, i] = total * scale[t]
        for t in range(n):
            for y in range(labels):
                out[t, y] = alpha[t, y] * beta[t, y] / scale[t]
    return out


cdef inline double _row_sum(const double[:, ::1] a, Py_ssize_t t) noexcept nogil:
    cdef double total = 0.0
    cdef Py_ssize_t y
    for y in range(a.shape[1]):
        total += a[t, y]
    return total
