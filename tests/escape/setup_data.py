# Runs inside `bin/odoo shell` (as the system) on the database of tests/test_escape_paths.py; prints
# one line "ESCAPE <json>" with the ids the attacks use. The attacks themselves go over RPC.
#
# A lot in each status that must not leave, with stock in two warehouses (one-step and
# pick-pack-ship): expired, quarantined, recalled (a recall in progress), short shelf life (for the
# hospital's 180-day contract) and awaiting acceptance (a regulated receipt not yet accepted);
# plus a good lot of each product, users with known passwords, partners qualified for the regulated
# product, a bill of materials.
import base64
import json
from datetime import timedelta

from odoo import Command, fields

env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))  # noqa: F821
company = env.company
company.expiry_auto_quarantine = False
now = fields.Datetime.now()
today = fields.Date.context_today(env.user)


def user(login, groups):
    return env["res.users"].create(
        {
            "name": login,
            "login": login,
            "email": f"{login}@escape.example.com",
            "password": f"{login}-pw",
            "groups_id": [Command.set([env.ref(group).id for group in ("base.group_user", *groups)])],
        }
    )


stock_user = user("esc_stock", ["stock.group_stock_user", "stock.group_production_lot", "mrp.group_mrp_user"])
quality_user = user("esc_qa", ["capa.group_quality_user", "stock.group_production_lot"])
quality_manager = user("esc_qm", ["capa.group_quality_manager", "stock.group_production_lot"])
reviewer = user("esc_rev", ["gsp_compliance.group_gsp_reviewer", "stock.group_production_lot"])
sales_user = user(
    "esc_sales", ["sales_team.group_sale_salesman", "stock.group_stock_user", "stock.group_production_lot"]
)
one_step = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
three_step = env["stock.warehouse"].create({"name": "Escape Three Steps", "code": "ES3"})
three_step.delivery_steps = "pick_pack_ship"
warehouses = one_step | three_step

category = env["product.category"].create({"name": "Escape Drugs"})
regulated_category = env["product.category"].create({"name": "Escape Regulated Drugs"})
product = env["product.product"].create(
    {
        "name": "Escape Cefalexin",
        "is_storable": True,
        "tracking": "lot",
        "use_expiration_date": True,
        "expiration_time": 365,
        "categ_id": category.id,
    }
)
regulated = env["product.product"].create(
    {
        "name": "Escape Insulin",
        "is_storable": True,
        "tracking": "lot",
        "use_expiration_date": True,
        "expiration_time": 365,
        "categ_id": regulated_category.id,
        "gsp_regulated": True,
        "gsp_registration_number": "国药准字H20260001",
        "gsp_registration_holder": "Escape Pharma",
        "gsp_registration_expiry": today + timedelta(days=700),
    }
)
finished = env["product.product"].create({"name": "Escape Kit", "is_storable": True, "categ_id": category.id})
env["mrp.bom"].create(
    {
        "product_tmpl_id": finished.product_tmpl_id.id,
        "product_qty": 1,
        "bom_line_ids": [Command.create({"product_id": product.id, "product_qty": 1})],
    }
)

supplier, pharmacy, hospital = env["res.partner"].create(
    [
        {"name": "Escape Supplier", "is_company": True, "gsp_regulated_partner": True},
        {"name": "Escape Pharmacy", "is_company": True, "gsp_regulated_partner": True},
        {
            "name": "Escape Hospital",
            "is_company": True,
            "gsp_regulated_partner": True,
            "min_shelf_life_days": 180,
        },
    ]
)
for partner in (supplier, pharmacy, hospital):
    licence = env["gsp.license"].create(
        {
            "partner_id": partner.id,
            "number": f"ESC-{partner.id}",
            "category_ids": [Command.set(regulated_category.ids)],
            "date_from": today - timedelta(days=10),
            "date_to": today + timedelta(days=700),
        }
    )
    env["ir.attachment"].create(
        {
            "name": "scan.pdf",
            "datas": base64.b64encode(b"%PDF-1.4 licence"),
            "res_model": "gsp.license",
            "res_id": licence.id,
        }
    )
    licence._gsp_system_decision("action_approve", "Escape test setup")


def lot(name, days, of=product):
    return env["stock.lot"].create(
        {
            "name": name,
            "product_id": of.id,
            "company_id": company.id,
            "expiration_date": now + timedelta(days=days),
        }
    )


lots = {
    "good": lot("ESC-GOOD", 400),
    "expired": lot("ESC-EXPIRED", -5),
    "quarantined": lot("ESC-QUARANTINED", 300),
    "recalled": lot("ESC-RECALLED", 300),
    "short_shelf_life": lot("ESC-SHORT", 30),
}
for lot_record in lots.values():
    for warehouse in warehouses:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 20, lot_id=lot_record)
good_regulated = lot("ESC-R-GOOD", 400, regulated)
for warehouse in warehouses:
    env["stock.quant"]._update_available_quantity(
        regulated, warehouse.lot_stock_id, 20, lot_id=good_regulated
    )

# For the concurrency test: ten lots of one product, ten units each, in the one-step warehouse.
busy = env["product.product"].create(
    {
        "name": "Escape Busy Saline",
        "is_storable": True,
        "tracking": "lot",
        "use_expiration_date": True,
        "categ_id": category.id,
    }
)
busy_lots = env["stock.lot"].create(
    [
        {
            "name": f"ESC-BUSY-{n:02d}",
            "product_id": busy.id,
            "expiration_date": now + timedelta(days=200 + 10 * n),
        }
        for n in range(10)
    ]
)
for busy_lot in busy_lots:
    env["stock.quant"]._update_available_quantity(busy, one_step.lot_stock_id, 10, lot_id=busy_lot)

# For the race test: a lot to quarantine while a delivery reserves it, and another one.
race = env["product.product"].create(
    {"name": "Escape Race Saline", "is_storable": True, "tracking": "lot", "use_expiration_date": True}
)
race_lots = env["stock.lot"].create(
    [
        {"name": name, "product_id": race.id, "expiration_date": now + timedelta(days=days)}
        for name, days in (("ESC-RACE-FIRST", 200), ("ESC-RACE-NEXT", 300))
    ]
)
for race_lot in race_lots:
    env["stock.quant"]._update_available_quantity(race, one_step.lot_stock_id, 10, lot_id=race_lot)

# For the done-step races: lots of a product delivered while a quarantine of them is under way.
done_race = env["product.product"].create(
    {"name": "Escape Race Glucose", "is_storable": True, "tracking": "lot", "use_expiration_date": True}
)
done_race_lots = env["stock.lot"].create(
    [
        {"name": name, "product_id": done_race.id, "expiration_date": now + timedelta(days=days)}
        for name, days in (("ESC-DONE-WAIT", 200), ("ESC-DONE-STALE", 300))
    ]
)
customers = env.ref("stock.stock_location_customers")
for done_race_lot in done_race_lots:
    env["stock.quant"]._update_available_quantity(done_race, one_step.lot_stock_id, 10, lot_id=done_race_lot)
    # Delivered before: the lot is in two locations already, so a delivery does not change the
    # lot's own row (Odoo's single location of a lot), and only the done step's write serialises.
    env["stock.quant"]._update_available_quantity(done_race, customers, 1, lot_id=done_race_lot)

lots["quarantined"]._quarantine("Escape test: broken seals")
recall = env["recall.event"].create(
    {
        "title": "Escape recall",
        "level_id": env.ref("recall_management.recall_level_2").id,
        "line_ids": [Command.create({"product_id": product.id, "lot_id": lots["recalled"].id})],
    }
)
recall.action_submit()
recall._gsp_system_decision("action_approve", "Escape test setup")
recall.action_start()
# A recall awaiting approval: approving it is a signed decision.
to_approve = env["recall.event"].create(
    {
        "title": "Escape recall to approve",
        "level_id": env.ref("recall_management.recall_level_2").id,
        "line_ids": [Command.create({"product_id": product.id, "lot_id": lots["recalled"].id})],
    }
)
to_approve.action_submit()
# A release of recalled stock back to stock, to be signed by a quality manager: its state is what
# lifts the recall's block on the lot.
release = env["recall.disposition"].create(
    {
        "event_id": recall.id,
        "lot_id": lots["recalled"].id,
        "quantity": 1,
        "location_id": one_step.quarantine_location_id.id,
        "action": "release",
        "reason": "Escape test: a release awaiting its signature",
    }
)

# A regulated receipt from the supplier, validated by the warehouse: its lot awaits acceptance.
# The second warehouse receives the same lot while the first acceptance is pending: into its
# quarantine location, as the rules ask.
awaiting = lot("ESC-AWAITING", 400, regulated)
for warehouse in warehouses:
    destination = warehouse.lot_stock_id if warehouse == one_step else warehouse.quarantine_location_id
    receipt = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.in_type_id.id,
            "partner_id": supplier.id,
            "location_id": env.ref("stock.stock_location_suppliers").id,
            "location_dest_id": destination.id,
            "move_ids": [
                Command.create(
                    {
                        "name": "receipt",
                        "product_id": regulated.id,
                        "product_uom_qty": 20,
                        "location_id": env.ref("stock.stock_location_suppliers").id,
                        "location_dest_id": destination.id,
                    }
                )
            ],
        }
    )
    receipt.action_confirm()
    receipt.move_line_ids.write({"lot_id": awaiting.id, "quantity": 20, "location_dest_id": destination.id})
    receipt.move_ids.picked = True
    receipt._action_done()
lots["awaiting_acceptance"] = awaiting

for code, lot_record in lots.items():
    lot_record.invalidate_recordset()
    held = sorted(lot_record.release_rule_ids.mapped("code"))
    if code == "short_shelf_life":
        # Released for everyone but the hospital, whose contract wants 180 days.
        assert held == [] and lot_record.id in lot_record._release_refusals(["customer"], hospital), code
        continue
    expected = {"good": [], "recalled": ["quarantined", "recalled"]}.get(code, [code])
    assert held == expected, (code, held)
# A licence not approved yet (approving it is a signed decision of a GSP manager).
draft_licence = env["gsp.license"].create(
    {
        "partner_id": pharmacy.id,
        "number": "ESC-DRAFT",
        "category_ids": [Command.set(regulated_category.ids)],
        "date_from": today - timedelta(days=10),
        "date_to": today + timedelta(days=700),
    }
)
# A temperature sensor with its key (rotating it is for Inventory managers only).
sensor = env["stock.temperature.device"].create(
    {"name": "ESC sensor", "location_id": env.ref("stock.warehouse0").lot_stock_id.id}
)
sensor.action_generate_api_key()

env.cr.commit()
print(
    "ESCAPE "
    + json.dumps(
        {
            "users": {
                "stock": stock_user.id,
                "quality": quality_user.id,
                "sales": sales_user.id,
                "reviewer": reviewer.id,
                "quality_manager": quality_manager.id,
            },
            "to_approve": to_approve.id,
            "recall_in_progress": recall.id,
            "approval_signature": recall.approval_signature_id.id,
            "release": release.id,
            "draft_licence": draft_licence.id,
            "sensor": sensor.id,
            "acceptance": env["gsp.acceptance"].search([("lot_id", "=", awaiting.id)], limit=1).id,
            "product": product.id,
            "regulated": regulated.id,
            "finished": finished.id,
            "busy": busy.id,
            "busy_lots": busy_lots.ids,
            "race": race.id,
            "race_lots": race_lots.ids,
            "done_race": done_race.id,
            "done_race_lots": done_race_lots.ids,
            "lots": {code: lot_record.id for code, lot_record in lots.items()},
            "lot_names": {code: lot_record.name for code, lot_record in lots.items()},
            "good_regulated": good_regulated.id,
            "partners": {"pharmacy": pharmacy.id, "hospital": hospital.id, "supplier": supplier.id},
            "warehouses": {
                warehouse.code: {
                    "id": warehouse.id,
                    "stock": warehouse.lot_stock_id.id,
                    "quarantine": warehouse.quarantine_location_id.id,
                    "out_type": warehouse.out_type_id.id,
                    "in_type": warehouse.in_type_id.id,
                    "int_type": warehouse.int_type_id.id,
                    "pick_type": warehouse.pick_type_id.id,
                }
                for warehouse in warehouses
            },
            "customers": env.ref("stock.stock_location_customers").id,
            "production": env["stock.location"]
            .search([("usage", "=", "production"), ("company_id", "in", (company.id, False))], limit=1)
            .id,
        }
    )
)
