"""Packages are found here rather than listed in pyproject.toml: devdoctor's own subpackages are
found automatically, and the top-level checks/ and fixtures/ folders are installed under import
names of their own (`checks` is too generic a name to install)."""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["devdoctor", "devdoctor.*"]) + ["devdoctor_checks", "devdoctor_fixtures"],
    package_dir={"devdoctor_checks": "checks", "devdoctor_fixtures": "fixtures"},
)
