# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import json

from odoo import SUPERUSER_ID, fields, http
from odoo.http import request


class TemperatureController(http.Controller):
    """Sensors post readings as JSON, authenticated by their API key:

        POST /batch_expiry/temperature
        Authorization: Bearer <API key>        (or the header X-Api-Key: <API key>)
        {"readings": [{"temperature": 5.4, "measured_at": "2026-11-21 10:00:00", "lot": "INS-2403C"}]}

    "measured_at" (UTC) and "lot" are optional. Answers 201 with what was stored, 403 for a missing
    or wrong key, 400 with a message for a malformed body; nothing is stored unless all is right."""

    @staticmethod
    def _answer(status, payload):
        return request.make_response(
            json.dumps(payload), headers=[("Content-Type", "application/json")], status=status
        )

    @http.route(
        "/batch_expiry/temperature",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        # auth="none" routes run in a read-only transaction by default; this one writes.
        readonly=False,
    )
    def post_readings(self, **_kwargs):
        header = request.httprequest.headers.get("Authorization", "")
        key = (
            header[len("Bearer ") :]
            if header.startswith("Bearer ")
            else request.httprequest.headers.get("X-Api-Key")
        )
        device = request.env["stock.temperature.device"]._find_by_api_key(key)
        if not device:
            return self._answer(403, {"error": "invalid or missing API key"})
        try:
            body = json.loads(request.httprequest.get_data(as_text=True) or "null")
            readings = body.get("readings") if isinstance(body, dict) else None
            if not isinstance(readings, list) or not readings:
                raise ValueError('expected a JSON object with a non-empty "readings" list')
            vals_list = [self._reading_values(device, reading) for reading in readings]
        except (ValueError, TypeError) as error:
            return self._answer(400, {"error": str(error)})
        # As OdooBot (superuser): the sensor is authenticated by its key, not as a user; it writes
        # readings of its own location only.
        env = request.env(user=SUPERUSER_ID)
        logs = env["stock.temperature.log"].with_company(device.company_id).create(vals_list)
        return self._answer(
            201,
            {
                "created": len(logs),
                "out_of_range": sum(logs.mapped("is_out_of_range")),
                "excursions": logs.excursion_id.mapped("name"),
            },
        )

    @staticmethod
    def _reading_values(device, reading):
        if not isinstance(reading, dict):
            raise ValueError("each reading must be a JSON object")
        temperature = reading.get("temperature")
        if isinstance(temperature, bool) or not isinstance(temperature, int | float):
            raise ValueError('each reading needs a numeric "temperature" (°C)')
        if not -100 <= temperature <= 100:
            raise ValueError(f"temperature {temperature} °C is not plausible")
        values = {
            "location_id": device.location_id.id,
            "device_id": device.id,
            "temperature": float(temperature),
            "source": "api",
        }
        if reading.get("measured_at"):
            values["measured_at"] = fields.Datetime.to_datetime(reading["measured_at"])
        if reading.get("lot"):
            lot = (
                request.env["stock.lot"]
                .sudo()
                .search(
                    [("name", "=", reading["lot"]), ("company_id", "in", (device.company_id.id, False))],
                    limit=1,
                )
            )
            if not lot:
                raise ValueError(f"unknown lot {reading['lot']!r}")
            values["lot_id"] = lot.id
        return values
