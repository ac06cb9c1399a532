# Odoo 18 add-ons for regulated distributors: recall, expiry/FEFO, CAPA, GSP.
# `make help` lists the targets. Settings (ODOO_SRC, ODOO_DB, HTTP_PORT, VENV, TMP_PG_PORT, ...)
# can be given on the command line: make run ODOO_DB=mydb HTTP_PORT=8070. See scripts/common.sh.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup run test test-odoo bench lint format pot doctor odoo shell pg-stop clean-db clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## bootstrap: system packages, Odoo source, virtualenv (idempotent)
	@scripts/setup.sh

run: setup ## Odoo with the four modules and demo data on http://localhost:8069 (admin / admin)
	@scripts/run.sh

test: setup ## the whole suite; ends with "N passed, N failed"
	@scripts/test.sh $(ARGS)

test-odoo: setup ## Odoo's stock, product_expiry, sale_stock, purchase_stock, stock_account, mrp tests with the modules, against a baseline without
	@scripts/test-odoo.sh $(ARGS)

bench: setup ## the performance targets (expiry scan, FEFO, recall trace and notices, audit trail; BENCH_ONLY=recall|batch_expiry|gsp)
	@scripts/bench.sh

lint: setup ## ruff (lint and format check) and the OCA/pylint-odoo checks
	@scripts/lint.sh

format: setup ## reformat the Python code with ruff
	@scripts/lint.sh --fix

pot: setup ## regenerate the translation templates (i18n/*.pot), merge them into the .po files
	@scripts/pot.sh

doctor: ## what this machine has and lacks, with the command that fixes each gap
	@scripts/doctor.sh

odoo: setup ## odoo-bin with the project's settings: make odoo ARGS="-d mydb -u capa --stop-after-init"
	@bin/odoo $(ARGS)

shell: setup ## an Odoo shell on $(ODOO_DB)
	@bin/odoo shell -d $${ODOO_DB:-odoo_demo}

pg-stop: ## stop the throwaway PostgreSQL cluster
	@scripts/pg.sh stop

clean-db: ## drop the cached template databases (rebuilt by the next run)
	@source scripts/common.sh && use_pg && "$$VENV/bin/python" scripts/odoodb.py clean

clean: ## remove the virtualenv and the checkout's caches (not the Odoo source, not databases)
	rm -rf .venv .cache .ruff_cache
