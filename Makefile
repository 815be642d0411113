# The two commands a newcomer needs: `make up` and `make test`.
PYTHON ?= python3
STACK = $(PYTHON) dev/stack.py

.PHONY: up down status demo test test-quick test-faults install unit clean-data

up:        ## install what is missing, start the whole system on 127.0.0.1:8080
	$(STACK) up

down:      ## stop everything `make up` started
	$(STACK) down

status:
	$(STACK) status

clean-data: ## wipe the local database (the stack must be down)
	$(STACK) clean-data

demo:      ## load demo data (units, offices, ~30 employees) and print demo logins
	$(STACK) demo

install:
	$(STACK) install

test: test-quick test-faults ## the whole suite: unit + integration + e2e, then the fault tests (each pass starts and stops the stack)

test-quick: ## everything but the slow fault tests (the everyday loop, ~5 min)
	$(STACK) test

test-faults: ## only the slow fault tests (broker/database outages, killed workers, full fuzzing)
	$(STACK) test -m faults

unit:      ## pure domain tests only (no services needed)
	$(STACK) install && .venv/bin/python -m pytest tests/unit
