# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import models, wizard


def post_init_hook(env):
    """Warehouses that existed before the install get their quarantine location and type."""
    env["stock.warehouse"].search([])._create_quarantine_setup()
