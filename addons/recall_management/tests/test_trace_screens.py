# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from lxml import etree

from odoo.tests import tagged

from .common import RecallCase


@tagged("post_install", "-at_install")
class TestTraceScreens(RecallCase):
    """The Trace tab gives figures that mean something (by direction and kind) and opens the
    trace as a list, pivot and graph, grouped by direction and kind; no meaningless grand total."""

    def test_figures_by_kind_and_the_trace_opened_grouped(self):
        event = self.new_event()
        other = self.new_event()
        event.action_trace()
        other.action_trace()
        lines = event.trace_line_ids

        def total(kind):
            return sum(lines.filtered(lambda t: t.kind == kind).mapped("quantity"))

        self.assertEqual(event.qty_received, total("supplier_receipt"))
        self.assertEqual(event.qty_received, 100)
        self.assertEqual(event.qty_delivered, 45, "15 + 5 then returned, 15 and 10")
        self.assertEqual(event.qty_customer_returned, 5)
        self.assertEqual(event.qty_delivered - event.qty_customer_returned, event.qty_distributed)
        self.assertEqual(event.qty_in_transit, 7)
        self.assertEqual(event.trace_line_count, len(lines))
        # Computed for several recalls at once, each its own.
        both = event | other
        both.invalidate_recordset(["qty_delivered", "trace_line_count"])
        self.assertEqual(
            both.mapped("trace_line_count"), [len(event.trace_line_ids), len(other.trace_line_ids)]
        )
        action = event.action_view_trace()
        self.assertEqual(action["res_model"], "recall.trace.line")
        self.assertEqual(action["domain"], [("event_id", "=", event.id)])
        self.assertEqual(self.env["recall.trace.line"].search(action["domain"]), lines)
        self.assertEqual(
            action["context"], {"search_default_group_direction": 1, "search_default_group_kind": 1}
        )
        self.assertEqual(action["view_mode"], "list,pivot,graph")
        groups = self.env["recall.trace.line"].read_group(
            action["domain"], ["quantity:sum"], ["direction", "kind"], lazy=False
        )
        by_group = {(g["direction"], g["kind"]): g["quantity"] for g in groups}
        self.assertEqual(by_group[("downstream", "customer_return")], -5)
        self.assertEqual(by_group[("upstream", "supplier_receipt")], 100)

    def test_list_has_no_grand_total_and_the_search_groups(self):
        views = self.env["recall.trace.line"].get_views(
            [(False, "list"), (False, "search"), (False, "graph")]
        )
        list_arch = etree.fromstring(views["views"]["list"]["arch"])
        quantity = list_arch.xpath("//field[@name='quantity']")[0]
        self.assertIsNone(quantity.get("sum"))
        search = etree.fromstring(views["views"]["search"]["arch"])
        names = set(search.xpath("//filter/@name"))
        self.assertLessEqual({"group_direction", "group_kind", "group_product", "returns"}, names)
        graph = etree.fromstring(views["views"]["graph"]["arch"])
        self.assertEqual(graph.xpath("//field[@type='measure']/@name"), ["quantity"])
        form = etree.fromstring(
            self.env["recall.event"].get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertTrue(form.xpath("//button[@name='action_view_trace']"))
        self.assertTrue(form.xpath("//field[@name='qty_customer_returned']"))
