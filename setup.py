"""What pyproject.toml cannot say: the templates/, static/, migrations/ and translations/
folders at the top of the source tree (where `make run` uses them) install inside the package,
as portal/templates, portal/static, portal/migrations and portal/translations, where
portal.foundation.resources finds them."""

from setuptools import find_packages, setup

DATA_FOLDERS = {
    "portal.templates": "templates",
    "portal.static": "static",
    "portal.migrations": "migrations",
    "portal.translations": "translations",
}

setup(
    packages=find_packages(include=["portal", "portal.*"]) + list(DATA_FOLDERS),
    package_dir=DATA_FOLDERS,
    package_data={
        **{package: ["**/*"] for package in DATA_FOLDERS},
        "portal.catalog": ["samples/*"],
        "portal.claims": ["samples/*"],
    },
    exclude_package_data={"": ["__pycache__/*", "*.pyc"]},
)
