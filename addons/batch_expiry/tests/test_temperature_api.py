# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import json

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTemperatureApi(HttpCase):
    """E6: sensors post JSON readings with their API key; bad key 403, bad body 400, nothing stored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.room = cls.env["stock.location"].create(
            {"name": "API Cold Room", "usage": "internal", "location_id": warehouse.lot_stock_id.id}
        )
        cls.device = cls.env["stock.temperature.device"].create(
            {"name": "API logger", "location_id": cls.room.id}
        )
        action = cls.device.action_generate_api_key()
        cls.key = action["params"]["message"].split(" ")[0]

    def post(self, body, key=None):
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        data = body if isinstance(body, str) else json.dumps(body)
        return self.url_open("/batch_expiry/temperature", data=data, headers=headers)

    def logs(self):
        return self.env["stock.temperature.log"].search([("location_id", "=", self.room.id)])

    def test_good_key_stores_the_readings(self):
        response = self.post(
            {"readings": [{"temperature": 4.2, "measured_at": "2026-11-21 10:00:00"}, {"temperature": 4.8}]},
            key=self.key,
        )
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()["created"], 2)
        logs = self.logs()
        self.assertEqual(sorted(logs.mapped("temperature")), [4.2, 4.8])
        self.assertEqual(set(logs.mapped("source")), {"api"})
        self.assertEqual(logs.device_id, self.device)

    def test_bad_or_missing_key_is_refused(self):
        self.assertEqual(self.post({"readings": [{"temperature": 4.0}]}, key="wrong").status_code, 403)
        self.assertEqual(self.post({"readings": [{"temperature": 4.0}]}).status_code, 403)
        self.assertFalse(self.logs())

    def test_malformed_body_is_refused_with_a_message(self):
        for body, message in [
            ("not json", "Expecting value"),
            ({"temperature": 4.0}, '"readings" list'),
            ({"readings": [{"temperature": "warm"}]}, "numeric"),
            ({"readings": [{"temperature": 4.0}, {"temperature": 400}]}, "not plausible"),
            ({"readings": [{"temperature": 4.0, "lot": "NO-SUCH-LOT"}]}, "unknown lot"),
        ]:
            response = self.post(body, key=self.key)
            self.assertEqual(response.status_code, 400, body)
            self.assertIn(message, response.json()["error"])
        self.assertFalse(self.logs(), "nothing is stored from a malformed body")
