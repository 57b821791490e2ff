"""Decoding a trained CRFsuite model: best tags and per-character marginals, in compiled loops.

CRFsuite's own tagger spends nearly all of a page's time turning each of the
~20 feature strings per character into an attribute id (its Viterbi takes a
thirtieth of that).  Here the model's weights are read once into arrays; the
caller gives each character's attributes as row numbers of those arrays
(tagger.py finds them without making most of the strings), and the Viterbi
path and the forward-backward marginals are compiled loops (kernels.pyx).  The algorithms are
CRFsuite's (``crf1d_context.c``): the same scores, the same tie-breaking (the
first best label wins), the same scaled forward-backward, so the tags are the
same as CRFsuite's (tests compare them).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from .kernels import decode


@dataclass(frozen=True)
class CrfModel:
    """A linear-chain CRF's weights as arrays; read-only, so one is shared by every thread."""

    labels: tuple[str, ...]  # label of each row of the weights, in CRFsuite's order
    attribute_rows: dict[str, int]  # attribute (feature string) -> its row of state_weights
    state_weights: np.ndarray  # (attributes + 1, labels); the last row, all zeros, is any unknown attribute
    transition_weights: np.ndarray  # (labels, labels): from label i to label j

    @classmethod
    def from_crfsuite(cls, model: bytes) -> CrfModel:
        """Read a CRFsuite model file (crf1dm.c's format: a header, then the features as packed
        records and the labels' and attributes' strings as CQDB chunks), straight into arrays.

        (CRFsuite's own ``info()`` dumps the model as text and parses it line by
        line in Python: half a second a model, where this takes a tenth of that.)
        """
        magic, _, kind, _, _, n_labels, n_attributes, features_at, labels_at, attributes_at = \
            struct.unpack_from("<4sI4sIIIIIII", model, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ValueError("not a CRFsuite CRF model (crf1d)")
        chunk, _, count = struct.unpack_from("<4sII", model, features_at)
        if chunk != b"FEAT":
            raise ValueError("a CRFsuite model without its features chunk")
        features = np.frombuffer(model, dtype=_FEATURE, count=count, offset=features_at + 12)
        labels = tuple(_cqdb_strings(model, labels_at))
        attributes = _cqdb_strings(model, attributes_at)
        if len(labels) != n_labels or len(attributes) != n_attributes:
            raise ValueError("a CRFsuite model whose string tables do not match its header")
        state = np.zeros((n_attributes + 1, n_labels))
        transitions = np.zeros((n_labels, n_labels))
        for kind_of_feature, table in ((_STATE, state), (_TRANSITION, transitions)):
            chosen = features[features["type"] == kind_of_feature]
            table[chosen["source"], chosen["target"]] = chosen["weight"]
        return cls(labels, dict(zip(attributes, range(n_attributes))), state, transitions)

    def decode(self, rows: np.ndarray, scored: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The label index of each character on the highest-scoring sequence, and (``scored``, when
        the path names anything) each character's marginal probability of its label on it.

        ``rows`` holds the row of ``state_weights`` of each of a character's
        attributes, one line per character.  One compiled call: state scores,
        Viterbi and forward-backward (a short text's time was mostly the calls).
        """
        return decode(rows, self.state_weights, self.transition_weights, self.labels.index("O"), scored)


# a feature record of crf1dm.c: kind, source (attribute or label), target label, weight; packed, 20 bytes
_FEATURE = np.dtype([("type", "<u4"), ("source", "<u4"), ("target", "<u4"), ("weight", "<f8")])
_STATE, _TRANSITION = 0, 1


def _cqdb_strings(model: bytes, offset: int) -> list[str]:
    """The strings of a CQDB chunk (CRFsuite's constant string database) in the order of their ids:
    its backward array holds each id's record (id, size, the string and a NUL), from the chunk's start."""
    chunk, _, _, _, count, backward_at = struct.unpack_from("<4sIIIII", model, offset)
    if chunk != b"CQDB":
        raise ValueError("a CRFsuite model without its string tables")
    strings = []
    for at in np.frombuffer(model, dtype="<u4", count=count, offset=offset + backward_at).tolist():
        size = struct.unpack_from("<I", model, offset + at + 4)[0]
        strings.append(model[offset + at + 8:offset + at + 7 + size].decode("utf-8"))
    return strings
