# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import BatchExpiryCase


@tagged("post_install", "-at_install")
class TestColdChain(BatchExpiryCase):
    """E6: readings outside a stored product's range open or extend an excursion, quarantine the
    affected lots, tell the quality users and can raise a CAPA; a reading back in range ends it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cold_room = cls.env["stock.location"].create(
            {"name": "Cold Room 1", "usage": "internal", "location_id": cls.stock.id}
        )
        cls.vaccine = cls.env["product.product"].create(
            {
                "name": "Test Vaccine",
                "is_storable": True,
                "tracking": "lot",
                "use_expiration_date": True,
                "has_storage_range": True,
                "storage_temp_min": 2,
                "storage_temp_max": 8,
            }
        )
        cls.vaccine_lot = cls.new_lot(
            cls, "VAC-1", days=300, product=cls.vaccine, quantity=50, location=cls.cold_room
        )
        cls.ambient_lot = cls.new_lot(cls, "AMB-1", days=300, quantity=20, location=cls.cold_room)
        cls.quality_user = new_test_user(
            cls.env, "be_qa", groups="capa.group_quality_user", name="Quentin QA"
        )

    def reading(self, temperature, minutes=0, **values):
        return (
            self.env["stock.temperature.log"]
            .with_user(self.stock_user)
            .create(
                dict(
                    location_id=self.cold_room.id,
                    temperature=temperature,
                    measured_at=self.now + timedelta(minutes=minutes),
                    **values,
                )
            )
        )

    def test_reading_in_range_changes_nothing(self):
        log = self.reading(5.0)
        self.assertFalse(log.is_out_of_range)
        self.assertFalse(log.excursion_id)
        self.assertFalse(self.vaccine_lot.is_quarantined)

    def test_excursion_opens_extends_and_ends(self):
        first = self.reading(9.5)
        excursion = first.excursion_id
        self.assertTrue(first.is_out_of_range)
        self.assertEqual(excursion.state, "open")
        self.assertEqual(excursion.lot_ids, self.vaccine_lot, "only the lots whose range is breached")
        self.assertTrue(self.vaccine_lot.is_quarantined)
        self.assertFalse(self.ambient_lot.is_quarantined)
        self.assertEqual(self.qty(self.vaccine_lot, self.quarantine_location), 50)
        notice = excursion.message_ids.filtered(lambda m: "outside the storage range" in (m.body or ""))
        self.assertIn(self.quality_user.partner_id, notice.partner_ids)
        second = self.reading(11.4, minutes=30)
        self.assertEqual(second.excursion_id, excursion, "a second reading extends the open excursion")
        self.assertEqual((excursion.temp_min_seen, excursion.temp_max_seen), (9.5, 11.4))
        back = self.reading(6.0, minutes=60)
        self.assertFalse(back.excursion_id)
        self.assertEqual(excursion.state, "closed")
        self.assertEqual(excursion.date_end, back.measured_at)
        self.assertEqual(
            self.reading(12.0, minutes=90).excursion_id - excursion, self.reading(13, minutes=91).excursion_id
        )

    def test_create_capa_from_an_excursion(self):
        excursion = self.reading(-1.0).excursion_id
        action = excursion.action_create_capa()
        capa = Form(
            self.env["capa.record"].with_user(self.quality_user).with_context(**action["context"])
        ).save()
        self.assertEqual(capa.source_type, "temperature_excursion")
        self.assertEqual(capa.origin_ref, excursion)
        self.assertEqual(capa.lot_ids, self.vaccine_lot)
        self.assertEqual(capa.product_ids, self.vaccine)
        excursion.invalidate_recordset(["capa_count"])
        self.assertEqual(excursion.capa_count, 1)

    def test_readings_cannot_be_changed_once_stored(self):
        log = self.reading(5.0)
        with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
            log.write({"temperature": 4.0})
        with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
            log.unlink()

    def test_csv_import(self):
        result = (
            self.env["stock.temperature.log"]
            .with_context(import_file=True)
            .load(
                ["location_id/.id", "measured_at", "temperature"],
                [
                    [str(self.cold_room.id), "2026-11-20 08:00:00", "4.5"],
                    [str(self.cold_room.id), "2026-11-20 09:00:00", "10.5"],
                ],
            )
        )
        self.assertFalse(result["messages"], result["messages"])
        logs = self.env["stock.temperature.log"].browse(result["ids"])
        self.assertEqual(logs.mapped("source"), ["import", "import"])
        self.assertEqual(logs.mapped("temperature"), [4.5, 10.5])
        self.assertTrue(logs[1].excursion_id, "imported readings are checked like the others")

    def test_device_key_is_stored_hashed_and_shown_once(self):
        device = self.env["stock.temperature.device"].create(
            {"name": "Logger", "location_id": self.cold_room.id}
        )
        self.assertFalse(device.has_api_key)
        action = device.action_generate_api_key()
        key = action["params"]["message"].split(" ")[0]
        self.assertTrue(device.has_api_key)
        self.assertNotIn(key, device.sudo().api_key_hash)
        self.assertEqual(self.env["stock.temperature.device"]._find_by_api_key(key), device)
        self.assertFalse(self.env["stock.temperature.device"]._find_by_api_key(key + "x"))

    def test_device_key_changes_only_through_its_button_by_a_manager(self):
        """The API key is a credential: an Inventory user cannot rotate it (and so learn it), and
        nobody, administrators included, writes or creates its hash."""
        device = self.env["stock.temperature.device"].create(
            {"name": "Logger", "location_id": self.cold_room.id}
        )
        key = device.action_generate_api_key()["params"]["message"].split(" ")[0]
        with self.assertRaises(AccessError):
            device.with_user(self.stock_user).action_generate_api_key()
        self.assertEqual(device._find_by_api_key(key), device, "the key in use is unchanged")
        known = device._hash_key("chosen-by-the-attacker")
        with self.assertRaises(AccessError):
            device.write({"api_key_hash": known})
        with self.assertRaises(AccessError):
            self.env["stock.temperature.device"].create(
                {"name": "Forged", "location_id": self.cold_room.id, "api_key_hash": known}
            )
        self.assertFalse(device._find_by_api_key("chosen-by-the-attacker"))
        self.assertEqual(device._find_by_api_key(key), device)
