# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import json
import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged

from .test_release_policy import ReleasePolicyCase

# The context keys that used to switch a rule off: sent by a client, they change nothing.
FORMER_KEYS = {
    "batch_expiry_quarantine_transfer": True,
    "batch_expiry_system": True,
    "batch_expiry_fefo_reason": "skip",
    "batch_expiry_min_expiration": False,
    "recall_release_event_id": 1,
    "lot_release_target": [["supplier"], False],
}
ROUTES = ("web", "jsonrpc", "xmlrpc")
JSON = {"Content-Type": "application/json"}


class RpcMixin:
    """Calls as a client makes them: the web client's routes, /jsonrpc and /xmlrpc/2/object."""

    @staticmethod
    def password(user):
        """The password new_test_user gives: the login, padded to 8 characters."""
        return user.login + "x" * (8 - len(user.login))

    def rpc(self, route, user, model, method, args, kwargs=None):
        """(error message or None, result) of ``model.method(*args, **kwargs)`` called by ``user``
        (made by new_test_user) through ``route``."""
        kwargs = kwargs or {}
        password = self.password(user)
        if route == "web":
            self.authenticate(user.login, password)
            path = (
                "/web/dataset/call_button"
                if method.startswith(("button_", "action_"))
                else "/web/dataset/call_kw"
            )
            payload = {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
            }
            return self._json_answer(
                self.url_open(f"{path}/{model}/{method}", data=json.dumps(payload), headers=JSON)
            )
        if route == "jsonrpc":
            payload = {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [self.env.cr.dbname, user.id, password, model, method, args, kwargs],
                },
            }
            return self._json_answer(self.url_open("/jsonrpc", data=json.dumps(payload), headers=JSON))
        try:
            result = self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, user.id, password, model, method, args, kwargs
            )
        except xmlrpc.client.Fault as fault:
            return fault.faultString, None
        return None, result

    def _json_answer(self, response):
        answer = response.json()
        if "error" in answer:
            return answer["error"]["data"]["message"], None
        return None, answer.get("result")


@tagged("post_install", "-at_install")
class TestReleasePolicyOverRpc(RpcMixin, ReleasePolicyCase, HttpCase):
    """No context key from any caller switches a rule off; decision fields are refused over every
    route, to every group."""

    def test_former_keys_switch_nothing_off(self):
        for reserved, route in enumerate(ROUTES, 1):
            picking = self.transfer(
                self.held,
                self.quarantine_location,
                self.customer_location,
                1,
                self.warehouse.out_type_id,
                self.pharmacy,
            )
            for key, value in FORMER_KEYS.items():
                error, _result = self.rpc(
                    route,
                    self.stock_user,
                    "stock.picking",
                    "button_validate",
                    [picking.ids],
                    {"context": {key: value, "skip_sms": True}},
                )
                self.assertRegex(error or "", "POL-HELD .* is Quarantined", f"{route} {key}")
                self.assertNotEqual(picking.state, "done")
            # Nothing moved: each refused transfer still reserves its one unit, as named.
            self.assertEqual(
                self.quant_rows(self.held), [(self.quarantine_location.complete_name, 10.0, float(reserved))]
            )
        self.assertQuantsExact(self.product)

    def test_the_fefo_question_is_asked_whatever_the_context(self):
        self.new_lot("POL-SOON", days=200, quantity=10)
        picking = self.transfer(
            self.good, self.stock, self.customer_location, 1, self.warehouse.out_type_id, self.pharmacy
        )
        for route in ROUTES:
            error, result = self.rpc(
                route,
                self.stock_user,
                "stock.picking",
                "button_validate",
                [picking.ids],
                {"context": {"batch_expiry_fefo_reason": "no reason"}},
            )
            self.assertIsNone(error, route)
            self.assertEqual(result["res_model"], "stock.fefo.deviation.wizard", route)
            self.assertNotEqual(picking.state, "done")

    def test_decision_fields_are_refused_over_every_route(self):
        for user in (self.stock_user, self.quality_user):
            for route in ROUTES:
                for model, record, vals in (
                    ("stock.lot", self.held, {"is_quarantined": False}),
                    ("stock.lot", self.held, {"quarantine_reason": False}),
                    ("stock.lot", self.dead, {"expiration_date": "2099-01-01 00:00:00"}),
                    ("stock.location", self.quarantine_location, {"is_quarantine": False}),
                ):
                    error, _result = self.rpc(route, user, model, "write", [record.ids, vals])
                    self.assertTrue(error, f"{user.login} {route} {model} {vals}")
                error, _result = self.rpc(
                    route,
                    user,
                    "stock.lot.quarantine.event",
                    "create",
                    [
                        {
                            "lot_id": self.held.id,
                            "action": "release",
                            "reason": "x",
                            "user_id": self.quality_manager.id,
                        }
                    ],
                )
                self.assertTrue(error, f"{user.login} {route} creates a history entry")
        self.held.invalidate_recordset()
        self.assertTrue(self.held.is_quarantined)
        self.assertEqual(self.held.quarantine_event_ids.mapped("action"), ["quarantine"])
        self.assertTrue(self.quarantine_location.is_quarantine)
        self.assertEqual(self.dead.release_rule_ids.mapped("code"), ["expired"])

    def test_a_server_action_is_refused_too(self):
        admin = new_test_user(self.env, "be_admin", groups="base.group_system,stock.group_stock_manager")
        action = self.env["ir.actions.server"].create(
            {
                "name": "Release by hand",
                "model_id": self.env.ref("stock.model_stock_lot").id,
                "state": "code",
                "code": "records.write({'is_quarantined': False, 'quarantine_reason': False})",
            }
        )
        error, _result = self.rpc(
            "web",
            admin,
            "ir.actions.server",
            "run",
            [action.ids],
            {"context": {"active_model": "stock.lot", "active_ids": self.held.ids}},
        )
        self.assertIn("change only through their actions", error or "")
        self.held.invalidate_recordset()
        self.assertTrue(self.held.is_quarantined)
