# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.tests import HttpCase, tagged

# Runs in the page once it is loaded: open the Inventory app from the apps menu of the navbar
# and wait for its overview. console.error fails the test; "test successful" ends it.
OPEN_INVENTORY = """
const waitFor = (check, what, timeout = 30000) => new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = () => {
        const result = check();
        if (result) {
            resolve(result);
        } else if (Date.now() - start > timeout) {
            reject(new Error("timed out waiting for " + what));
        } else {
            setTimeout(tick, 100);
        }
    };
    tick();
});
const find = (selector) => waitFor(() => document.querySelector(selector), selector);
(async () => {
    (await find(".o_navbar_apps_menu button")).click();
    (await find('.o_app[data-menu-xmlid="stock.menu_stock_root"]')).click();
    const brand = () => document.querySelector(".o_main_navbar .o_menu_brand")?.textContent.trim();
    await waitFor(() => brand() === "Inventory", "the Inventory app (the navbar shows " + brand() + ")");
    await find(".o_action_manager .o_kanban_view .o_kanban_record");
    console.log("test successful");
})().catch((error) => console.error(error.message));
"""


@tagged("post_install", "-at_install")
class TestWebClient(HttpCase):
    """The browser path works: headless Chromium opens the web client as admin."""

    def test_inventory_app_loads(self):
        self.browser_js(
            "/odoo",
            OPEN_INVENTORY,
            ready="odoo.isReady === true",
            login="admin",
            timeout=120,
        )
