"""odoo-bin, with every module's at_install tests run on the fully loaded registry.

Odoo runs a module's at_install tests right after loading that module, before the modules that
depend on it are loaded: run that way, Odoo's stock tests never meet this project's overrides.
Started through this script, odoo-bin defers them: while the registry loads, no at_install test
runs; once it is loaded, the post-install phase runs the at_install tests of the selected modules
first, then their post_install tests (``--test-tags`` selects them as usual). Used by
``make test-odoo`` (scripts/odoo_suites.py) on both sides of its comparison.
"""

import os
import sys

sys.path.insert(0, os.environ["ODOO_SRC"])

import odoo
from odoo.tests import loader
from odoo.tests.suite import OdooSuite

_make_suite = loader.make_suite


def make_suite(module_names, position="at_install"):
    if position == "at_install":
        return OdooSuite([])
    at_install = _make_suite(module_names, "at_install")
    post_install = _make_suite(module_names, "post_install")
    return OdooSuite(list(at_install) + list(post_install))


loader.make_suite = make_suite

if __name__ == "__main__":
    odoo.cli.main()
