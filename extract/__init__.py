"""Extraction: one page's text in, its mentions and relations out (see pipeline.py)."""

# Part of the extractor's fingerprint (zhitu.cache), which also hashes every file of this package.
# Bump when what extraction produces changes in a way no file of the package shows (a data package's).
EXTRACTOR_VERSION = "zhitu-rules-1"
