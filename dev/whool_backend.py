"""The whool build backend, for a repository whose root is the addon.

whool names the distribution after the folder that holds ``__manifest__.py``
(``odoo-addon-<folder>``) and installs the addon as ``odoo/addons/<folder>``. Here that
folder is the checkout, and its name is not ours to choose: ``pip install git+...``
builds in ``/tmp/pip-req-build-xxxx``, a GitHub zip unpacks as ``<repo>-main``, a
developer clones into any folder. This backend hands whool the checkout under the
addon's technical name, through a symbolic link, and otherwise leaves everything to
whool: the files are those under git control, the version is the manifest's (plus
``.N`` for commits after the last version change), the dependencies come from the
manifest.

It calls whool's internal ``_build_wheel``, ``_build_sdist`` and ``_get_metadata``;
pyproject.toml pins whool to a release range where they exist (``dev/wheel_check.sh``
builds with it).
"""

import contextlib
import os
import tempfile
from pathlib import Path

from whool import buildapi

ADDON = "municipal_complaint"


@contextlib.contextmanager
def _addon_dir():
    """Yield a path to the checkout whose last component is the addon's name."""
    source = Path.cwd()
    if source.name == ADDON:
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="whool-") as tmp:
        link = Path(tmp, ADDON)
        link.symlink_to(source, target_is_directory=True)
        yield link


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with _addon_dir() as addon_dir:
        return buildapi._build_wheel(addon_dir, Path(wheel_directory), editable=False)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    source = Path.cwd()
    with _addon_dir() as addon_dir:
        name = buildapi._build_wheel(addon_dir, Path(wheel_directory), editable=True)
    # whool links build/__editable__/odoo/addons/<addon> to the folder it was given,
    # which may be the temporary link above: point it at the checkout itself.
    editable_link = source / "build" / "__editable__" / "odoo" / "addons" / ADDON
    if editable_link.is_symlink() and Path(os.readlink(editable_link)) != source:
        editable_link.unlink()
        editable_link.symlink_to(source, target_is_directory=True)
    return name


def build_sdist(sdist_directory, config_settings=None):
    with _addon_dir() as addon_dir:
        return buildapi._build_sdist(addon_dir, Path(sdist_directory))


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    with _addon_dir() as addon_dir:
        metadata = buildapi._get_metadata(addon_dir)
    return buildapi._make_dist_info(metadata, Path(metadata_directory))


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel
