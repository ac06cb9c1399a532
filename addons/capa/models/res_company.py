# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, models


class ResCompany(models.Model):
    """The records the add-ons create whose name Odoo does not translate (``ir.sequence.name`` and
    ``stock.location.name`` are plain fields, one name for every user) are named in the company's
    language, the language of the company's contact (Contacts > the company > Language): when
    created, when that language is loaded, and when the company chooses it; a name someone gave
    stays. English, which Odoo gives every new company, chooses nothing: the records are then named
    in their creator's language, as Odoo names WH/Stock, and keep their names."""

    _inherit = "res.company"

    def _gsp_data_lang(self):
        """The language this company's records are named in: its contact's when installed and
        not English (see the class), else False."""
        self.ensure_one()
        lang = self.partner_id.lang
        installed = dict(self.env["res.lang"].get_installed())
        return lang if lang in installed and lang != "en_US" else False

    @api.model
    def _gsp_plain_named_sequences(self):
        """``{XML id: term}`` of the sequences the add-ons define in their data (``term`` as in
        _gsp_plain_named_records). Each module adds its own."""
        return {"capa.seq_capa_record": lambda env: env._("CAPA")}

    @api.model
    def _gsp_plain_named_records(self):
        """The records these add-ons create with a plain (untranslated) name, as a list of
        ``(record, term)``: ``term(env)`` gives the record's name in ``env``'s language (called in
        the module that declares it, so that its translations apply). Modules with other records
        than sequences add them."""
        records = []
        for xmlid, term in self._gsp_plain_named_sequences().items():
            # While modules load, the sequences of those not loaded yet do not exist.
            sequence = self.env.ref(xmlid, raise_if_not_found=False)
            if sequence:
                records.append((sequence, term))
        return records

    @api.model
    def _gsp_name_plain_data(self, langs):
        """Name the records of _gsp_plain_named_records in their company's language (shared ones
        in the current company's) when the company has one (_gsp_data_lang) among ``langs``. A
        record is renamed only while it bears the name it was created with, in one of the
        installed languages. A few records per warehouse: no batch needed."""
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        for record, term in self._gsp_plain_named_records():
            lang = (record.company_id or self.env.company)._gsp_data_lang()
            if lang not in langs:
                continue
            defaults = {term(self.with_context(lang=code).env) for code in {*installed, "en_US"}}
            name = term(self.with_context(lang=lang).env)
            if record.name in defaults and record.name != name:
                record.name = name

    @api.model
    def _demo_work_in_database_language(self):
        """Demo data: the demo company works in the language the database speaks besides English
        when the demo loads (the one it was created in, or loaded as make run and docker compose
        do), as Odoo gives that language to the administrator of a database created in it. A
        database in English only keeps Odoo's English company, which Odoo's own tests expect
        (week starts, list wording)."""
        langs = [code for code, _name in self.env["res.lang"].get_installed() if code != "en_US"]
        if len(langs) == 1:
            self.env.ref("base.main_partner").lang = langs[0]
