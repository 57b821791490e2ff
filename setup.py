"""The extractor's compiled loops (extract/kernels.pyx); everything else is in pyproject.toml."""
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(ext_modules=cythonize([Extension("zhitu.extract.kernels", ["extract/kernels.pyx"])]))
