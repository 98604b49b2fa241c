# The two commands of the README, plus the checks behind `make test`.
# Everything happens in dev/harness.sh; this file only names the entry points.
HARNESS := dev/harness.sh

.PHONY: run test retest i18n lint wheel-check bench-peer test-harness load faults stop clean-db clean

run:        ## serve Odoo with the addon on http://localhost:8069 (database "complaints")
	@$(HARNESS) run

test:       ## fresh database, install with demo data, run every test with pytest-odoo
	@$(HARNESS) test

retest:     ## developers: keep the test database, update the addon, run the tests (PYTEST_ARGS=-k ...)
	@$(HARNESS) retest

i18n:       ## developers: re-export i18n/municipal_complaint.pot and bring i18n/nl.po in line
	@$(HARNESS) i18n

lint:       ## ruff, pylint-odoo and the XML/CSV/PO checks (pre-commit)
	@$(HARNESS) lint

wheel-check: ## build the wheel and install the addon from it into a throwaway database
	@$(HARNESS) wheel-check

bench-peer: ## side by side with OCA helpdesk_mgmt at 200,000 records (BENCH_ARGS="--size 5000")
	@$(HARNESS) bench-peer

test-harness: ## the harness's own test: a fresh clone in a private folder with a space (part of make test)
	@$(HARNESS) test-harness

load:       ## load test: prefork Odoo under the daily traffic at 200,000 cases (LOAD_ARGS=--small: 5,000)
	@$(HARNESS) load

faults:     ## fault tests: mail down, PDF engine broken, incoming mail refused, cron killed, PostgreSQL restarted
	@$(HARNESS) faults

stop:       ## stop the embedded PostgreSQL if a previous run left it running
	@$(HARNESS) stop

clean-db:   ## stop this checkout's embedded PostgreSQL and remove it with all its databases
	@$(HARNESS) pg-remove

clean:      ## remove the build folder (keeps .venv and the embedded PostgreSQL: see clean-db)
	rm -rf .build
